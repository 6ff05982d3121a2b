import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.GraphicsEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import lib.BadInputException;
import lib.Charts;
import lib.CommonOptions;
import lib.Launcher;
import lib.TrainingOptions;
import lib.TutorialRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class LauncherTest {
    @Command(name = "tiny", mixinStandardHelpOptions = true, description = "A command for the tests.")
    static class Tiny implements Callable<Integer> {
        @Mixin CommonOptions options;
        RuntimeException failure;
        boolean called;
        Path figure; // a figure to draw, if any

        @Override
        public Integer call() {
            called = true;
            if (failure != null) throw failure;
            if (figure != null) Charts.save(Charts.bars("tiny", List.of("a run"), List.of(0.5), "accuracy", "0.00"), figure);
            return 0;
        }
    }

    private final StringWriter err = new StringWriter();

    private int run(Object command, String... args) {
        return Launcher.execute(command, new PrintWriter(err, true), args);
    }

    private List<String> errLines() {
        return err.toString().lines().toList();
    }

    @Test
    void validOptionsRunTheCommand() {
        Tiny tiny = new Tiny();
        assertEquals(0, run(tiny, "--epochs", "3", "--batch-size", "64"));
        assertTrue(tiny.called);
        assertEquals(3, tiny.options.epochs(20));
        assertEquals(64, tiny.options.batchSize);
        assertEquals(Integer.MAX_VALUE, tiny.options.limit());
        assertEquals("", err.toString());
    }

    @Test
    void nonNumericOptionIsOneLineAndExitCode2() {
        Tiny tiny = new Tiny();
        assertEquals(2, run(tiny, "--epochs", "abc"));
        assertFalse(tiny.called);
        assertEquals(1, errLines().size(), err.toString());
        String line = errLines().get(0);
        assertTrue(line.startsWith("error: "), line);
        assertTrue(line.contains("--epochs") && line.contains("abc"), line);
    }

    @Test
    void epochsBelowOneIsRejectedBeforeTheCommandRuns() {
        Tiny tiny = new Tiny();
        assertEquals(2, run(tiny, "--epochs", "0"));
        assertFalse(tiny.called);
        assertEquals(1, errLines().size(), err.toString());
        assertTrue(errLines().get(0).contains("--epochs must be at least 1, got 0"), err.toString());
    }

    @Test
    void otherOutOfRangeOptions() {
        for (String option : List.of("--batch-size", "--limit", "--threads")) {
            StringWriter errors = new StringWriter();
            Tiny tiny = new Tiny();
            assertEquals(2, Launcher.execute(tiny, new PrintWriter(errors, true), option, "-1"), option);
            assertFalse(tiny.called, option);
            assertTrue(errors.toString().contains(option + " must be at least 1, got -1"), errors.toString());
        }
    }

    @Test
    void unknownOptionIsExitCode2() {
        assertEquals(2, run(new Tiny(), "--epoch", "3"));
        assertEquals(1, errLines().size(), err.toString());
        assertTrue(errLines().get(0).contains("--epoch"), err.toString());
        assertEquals(List.of("error: Unknown option: '--epoch' (did you mean --epochs?)"), errLines());
        err.getBuffer().setLength(0);
        assertEquals(2, run(new Tiny(), "--xyzzy"));
        assertTrue(errLines().get(0).endsWith("(see --help)"), err.toString());
    }

    @Test
    void badInputFromTheCommandIsOneLineWithoutStackTrace() {
        Tiny tiny = new Tiny();
        tiny.failure = new BadInputException(java.nio.file.Path.of("data", "x.gz"), "truncated");
        assertEquals(2, run(tiny));
        assertTrue(tiny.called);
        assertEquals(List.of("error: " + java.nio.file.Path.of("data", "x.gz") + ": truncated"), errLines());
    }

    @Test
    void aBugIsExitCode1WithItsStackTrace() {
        Tiny tiny = new Tiny();
        tiny.failure = new IllegalStateException("oops");
        assertEquals(1, run(tiny));
        assertTrue(err.toString().contains("IllegalStateException: oops"), err.toString());
        assertTrue(err.toString().contains("\tat "), "no stack trace: " + err);
    }

    @Test
    void helpIsExitCode0() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Tiny tiny = new Tiny();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            // Help answers before anything else: --epochs 0 would be refused by the check that
            // runs just before MXNet is set up.
            code = run(tiny, "--help", "--epochs", "0");
        } finally {
            System.setOut(original);
        }
        assertEquals(0, code, err.toString());
        assertFalse(tiny.called);
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("Usage: tiny") && help.contains("--epochs") && help.contains("--data-dir"), help);
        assertFalse(help.contains("\u001B["), "no colour codes when output is not a terminal");
        assertEquals("", err.toString());
    }

    @Test
    void mxnetOnAMachineWithoutItIsOneLineNamingThePlatformAndExitCode2() {
        String arch = System.getProperty("os.arch");
        Tiny tiny = new Tiny();
        int code;
        try {
            System.setProperty("os.arch", "aarch64");
            code = run(tiny, "--epochs", "1", "--engine", "MXNet");
        } finally {
            System.setProperty("os.arch", arch);
        }
        assertEquals(2, code);
        assertFalse(tiny.called);
        assertEquals(1, errLines().size(), err.toString());
        String line = errLines().get(0);
        assertTrue(line.contains("MXNet has no build for") && line.contains("aarch64") && line.contains("--engine PyTorch"), line);
    }

    @Test
    void anUnknownEngineIsOneLineAndExitCode2() {
        Tiny tiny = new Tiny();
        assertEquals(2, run(tiny, "--engine", "Caffe"));
        assertFalse(tiny.called);
        assertEquals(1, errLines().size(), err.toString());
        assertTrue(errLines().get(0).contains("--engine names no engine of the course: Caffe"), errLines().get(0));
    }

    @Test
    void aStreamPutInPlaceOfStandardOutputIsNoTerminal() {
        assertFalse(lib.Terminal.isInteractive(new PrintStream(new ByteArrayOutputStream())));
    }

    @Command(name = "tiny-training")
    static class TinyTraining {
        @Mixin CommonOptions options;
        @Mixin TrainingOptions training;
    }

    @Test
    void helpQuotesTheRecipesBatchSizeAndLearningRates() {
        String help = new CommandLine(new TinyTraining()).getUsageMessage().replaceAll("\\s+", " "); // lines wrap anywhere
        TutorialRun.Recipe modern = TutorialRun.Recipe.MODERN;
        assertTrue(help.contains("lesson 12's training: " + modern.batchSize() + ","), help);
        assertTrue(help.contains("first Muon step, " + modern.learningRate() + ")"), help);
        assertTrue(help.contains("the tutorial's " + TutorialRun.Recipe.TUTORIAL.learningRate() + ";"), help);
    }

    @Test
    void showOpensTheFiguresDrawnWhenTheScriptEndsOrSaysThereIsNoDisplay(@TempDir Path dir) {
        assumeTrue(GraphicsEnvironment.isHeadless(), "with a display, --show would open a window");
        Tiny drawing = new Tiny();
        drawing.figure = dir.resolve("curves.png");
        assertEquals(0, run(drawing, "--show"));
        assertEquals(List.of(drawing.figure), Charts.written(), "this run's figures only, none from earlier ones");
        assertEquals(List.of("--show: no display here, so only the PNG files were written"), errLines());
        err.getBuffer().setLength(0);
        Tiny notShowing = new Tiny();
        notShowing.figure = dir.resolve("again.png");
        assertEquals(0, run(notShowing));
        assertEquals("", err.toString());
    }

    @Command(name = "drawing", mixinStandardHelpOptions = true)
    @CommonOptions.Uses({"--output", "--show"})
    static class UsesFew implements Callable<Integer> {
        @Mixin CommonOptions options;

        @Override
        public Integer call() {
            return 0;
        }
    }

    @Test
    void aScriptOffersOnlyTheCommonOptionsItUses() {
        assertEquals(0, run(new UsesFew(), "--output", "somewhere"), err.toString());
        assertEquals(2, run(new UsesFew(), "--epochs", "3"));
        assertEquals(List.of("error: drawing has no use for --epochs (see --help)"), errLines());
        String usage = help(new UsesFew());
        // --engine and --threads go without saying for a script that runs an engine.
        assertTrue(usage.contains("--output") && usage.contains("--show") && usage.contains("--engine") && usage.contains("--threads"), usage);
        for (String unused : List.of("--epochs", "--batch-size", "--limit", "--data-dir", "--seed")) {
            assertFalse(usage.contains(unused), unused + " in " + usage);
        }
        assertTrue(help(new Tiny()).contains("--epochs"), "a script without the annotation takes them all");
        assertThrows(IllegalStateException.class, () -> run(new Misspelt()), "a name CommonOptions has not is a bug in the script");
    }

    @Command(name = "misspelt")
    @CommonOptions.Uses({"--outptu"})
    static class Misspelt implements Callable<Integer> {
        @Mixin CommonOptions options;

        @Override
        public Integer call() {
            return 0;
        }
    }

    private String help(Object script) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, Launcher.execute(script, new PrintWriter(err, true), "--help"));
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
