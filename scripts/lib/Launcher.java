package lib;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Starts a script: parses its options, sets the engine up for this machine ({@link Engines}), runs it,
 * and turns bad input into one line on stderr and exit code 2 (a stack trace is for bugs, not for a
 * mistyped folder name).
 */
public final class Launcher {
    private Launcher() {}

    public static void run(Object script, String[] args) {
        System.exit(execute(script, new PrintWriter(System.err, true), args));
    }

    /** Runs {@code script} with {@code args} and returns its exit code: 0 done, 2 bad input, 1 a bug. */
    public static int execute(Object script, PrintWriter err, String... args) {
        // DJL would otherwise look for a cloud's metadata service and may report usage: neither is wanted here.
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
        CommandLine commandLine = new CommandLine(script);
        commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(
                Terminal.isInteractive(System.out) ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
        commandLine.getCommandSpec().version("cnn-lessons 1.0");
        keepOnlyTheCommonOptionsUsed(commandLine.getCommandSpec(), script);
        Charts.forgetWritten();
        commandLine
                .setErr(err)
                .setParameterExceptionHandler(Launcher::reportBadOption)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (!(e instanceof BadInputException)) throw e;
                    cmd.getErr().println("error: " + e.getMessage());
                    return 2;
                })
                .setExecutionStrategy(parsed -> {
                    // --help and --version answer at once, before the engine starts.
                    Integer helpExitCode = CommandLine.executeHelpRequest(parsed);
                    if (helpExitCode != null) return helpExitCode;
                    CommonOptions options = commonOptions(parsed.commandSpec());
                    if (options != null) {
                        try {
                            options.validate();
                        } catch (BadInputException e) {
                            throw new ParameterException(parsed.commandSpec().commandLine(), e.getMessage());
                        }
                        try {
                            prepareRuntime(options, !(script instanceof WithoutEngine));
                        } catch (BadInputException e) { // no engine for this machine
                            parsed.commandSpec().commandLine().getErr().println("error: " + e.getMessage());
                            return 2;
                        }
                    }
                    int code = new CommandLine.RunLast().execute(parsed);
                    // Also after bad input: classify lists a bad picture after drawing the others.
                    if (options != null && options.show) Charts.showWritten(parsed.commandSpec().commandLine().getErr());
                    return code;
                });
        return commandLine.execute(args);
    }

    /**
     * Takes the common options a script has no use for ({@link CommonOptions.Uses}) out of its --help
     * and its parsing; a script that runs an engine keeps --engine and --threads.
     */
    private static void keepOnlyTheCommonOptionsUsed(CommandSpec spec, Object script) {
        CommonOptions.Uses uses = script.getClass().getAnnotation(CommonOptions.Uses.class);
        if (uses == null) return;
        Set<String> used = new HashSet<>(List.of(uses.value()));
        if (!(script instanceof WithoutEngine)) used.addAll(List.of("--engine", "--threads"));
        for (CommandSpec mixin : spec.mixins().values()) {
            if (!(mixin.userObject() instanceof CommonOptions)) continue;
            Set<String> names = new HashSet<>();
            for (OptionSpec option : mixin.options()) {
                names.add(option.longestName());
                if (!used.contains(option.longestName())) spec.remove(spec.findOption(option.longestName()));
            }
            if (!names.containsAll(used)) throw new IllegalStateException(script.getClass() + " uses options CommonOptions has not: " + used);
        }
    }

    /** The names of every common option, whichever a script offers. */
    private static final Set<String> COMMON_OPTIONS = new HashSet<>(CommandSpec.forAnnotatedObject(new CommonOptions()).optionsMap().keySet());

    private static int reportBadOption(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        if (!(e instanceof UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()
                || !unmatched.getUnmatched().get(0).startsWith("-")) {
            err.println("error: " + e.getMessage() + " (see --help)");
            return 2;
        }
        // picocli lists the value after an unknown option as unknown too ('--epoch', '1'): name the option alone.
        String given = unmatched.getUnmatched().get(0);
        String optionName = given.split("=", 2)[0];
        if (COMMON_OPTIONS.contains(optionName)) { // one of the course's options, but not this script's
            err.println("error: " + e.getCommandLine().getCommandName() + " has no use for " + optionName + " (see --help)");
            return 2;
        }
        // picocli finds the options closest to a mistyped one: --epoch gives --epochs.
        List<String> closest = unmatched.getSuggestions();
        String hint = closest.isEmpty() ? "see --help" : "did you mean " + String.join(" or ", closest.subList(0, Math.min(2, closest.size()))) + "?";
        err.println("error: Unknown option: '" + given + "' (" + hint + ")");
        return 2;
    }

    private static CommonOptions commonOptions(CommandSpec spec) {
        return spec.mixins().values().stream()
                .map(CommandSpec::userObject)
                .filter(CommonOptions.class::isInstance)
                .map(CommonOptions.class::cast)
                .findFirst().orElse(null);
    }

    /** A script that needs no deep-learning engine (it only draws or reads files): it runs on any machine. */
    public interface WithoutEngine {}

    private static void prepareRuntime(CommonOptions options, boolean engine) {
        if (!options.show) System.setProperty("java.awt.headless", "true");
        if (engine) Engines.prepare(options.engine, options.threads);
    }
}
