import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import lib.Manifest;
import lib.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training scripts themselves, killed with SIGKILL twice at random moments and resumed twice,
 * end with the history and weights of a run that never stopped; after every kill the folder holds
 * a complete checkpoint. Runs {@code ./jbang} from the project's folder on small made-up data.
 */
class ResumeAfterKillTest {
    @TempDir Path temp;
    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);

    @Test
    void trainFashionMnist() throws Exception {
        Path data = TestFiles.fashionMnist(Files.createDirectories(temp.resolve("data")), 2000, 10, false);
        killTwiceAndResume("train-fashion-mnist", "fashion-mnist-cnn", data, 8);
    }

    @Test
    void trainCifarAugmented() throws Exception {
        Path data = TestFiles.cifarFolder(Files.createDirectories(temp.resolve("data")), 200);
        killTwiceAndResume("train-cifar-augmented", "cifar10-cnn", data, 5);
    }

    /** Lesson 12's run: Muon's velocities in the checkpoint, and bfloat16 where this processor has it. */
    @Test
    void trainCifarFast() throws Exception {
        Path data = TestFiles.cifarFolder(Files.createDirectories(temp.resolve("data")), 200);
        killTwiceAndResume("train-cifar-fast", "cifar10-whitened", data, 5);
    }

    private void killTwiceAndResume(String script, String network, Path data, int epochs) throws Exception {
        List<String> options = List.of("--data-dir", data.toString(), "--epochs", String.valueOf(epochs), "--threads", "2",
                "--engine", lib.Engines.chosen().name());
        Path whole = temp.resolve("whole");
        Path stopped = temp.resolve("stopped");
        assertEquals(0, run(script, options, whole, false).waitFor(), log());

        String moments = "";
        for (int kill = 1; kill <= 2; kill++) {
            Process process = run(script, options, stopped, kill > 1);
            // Let it finish at least one epoch of its own, then kill it at a random moment.
            int reached = kill == 1 ? 1 : Manifest.read(stopped).epochsDone() + 1;
            while (!epochsDone(stopped, reached) && process.isAlive()) Thread.sleep(20);
            long delay = random.nextInt(800);
            Thread.sleep(delay);
            moments += " kill " + kill + " at " + delay + " ms after epoch " + reached + ";";
            killWithChildren(process);
            RunFolder.open(stopped); // whatever the moment, a complete checkpoint
        }
        assertEquals(0, run(script, options, stopped, true).waitFor(), log());

        String context = "(random seed " + seed + ":" + moments + ")";
        String weights = String.format("%s-%04d.params", network, epochs);
        assertArrayEquals(Files.readAllBytes(whole.resolve(weights)), Files.readAllBytes(stopped.resolve(weights)), context);
        assertEquals(withoutSeconds(whole.resolve("history.csv")), withoutSeconds(stopped.resolve("history.csv")), context);
        assertEquals(epochs, Manifest.read(stopped).epochsDone(), context);
        assertTrue(Files.isRegularFile(stopped.resolve("accuracy.png")), context);
    }

    private static boolean epochsDone(Path dir, int epochs) {
        try {
            return Files.isRegularFile(dir.resolve(Manifest.FILE)) && Manifest.read(dir).epochsDone() >= epochs;
        } catch (RuntimeException e) {
            return false; // being replaced at this instant
        }
    }

    private Process run(String script, List<String> options, Path output, boolean resume) throws IOException {
        List<String> command = new ArrayList<>(List.of("./jbang", script, "--output", output.toString()));
        command.addAll(options);
        if (resume) command.add("--resume");
        ProcessBuilder builder = new ProcessBuilder(command).directory(projectFolder().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(temp.resolve("log.txt").toFile()));
        builder.environment().put("CI", "true");
        return builder.start();
    }

    private String log() throws IOException {
        return Files.readString(temp.resolve("log.txt"));
    }

    /** SIGKILL, on Linux and macOS: no shutdown hook runs, nothing is flushed. */
    private static void killWithChildren(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private static List<String> withoutSeconds(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().map(line -> line.substring(0, line.lastIndexOf(','))).toList();
    }

    /** The folder holding jbang-catalog.json: the tests run from there or below. */
    static Path projectFolder() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("jbang-catalog.json"))) return dir;
        }
        throw new IllegalStateException("run the tests from the project's folder: no jbang-catalog.json above " + Path.of("").toAbsolutePath());
    }
}
