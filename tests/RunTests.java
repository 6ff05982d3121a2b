///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Runs every JUnit 5 test under tests/ and ends with "N passed, N failed"
//DEPS org.junit.platform:junit-platform-console-standalone:1.14.4
//SOURCES ../scripts/lib/*.java
//SOURCES *Test.java
//SOURCES TestFiles.java
// The tests run on every engine they find: MXNet's native library comes with the scripts' own
// dependencies, and PyTorch's is added here.
//DEPS ai.djl.pytorch:pytorch-native-cpu:2.7.1:${cnn-lessons.platform,os.detected.classifier}

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Set;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The test command: ./jbang tests/RunTests.java [TestClassName ...]
 * Compiles the helper library and every *Test.java here into one jar, runs the tests in it on each
 * engine whose native library is on the classpath (the default engine here, every other one in a
 * Java process of its own, since an engine loads once per process), prints one line a test, and
 * ends with "N passed, N failed" (and ", N skipped" when some were) over all engines.
 */
public class RunTests {
    /** Set on the process that runs the tests on one more engine. */
    private static final String ONE_ENGINE = "cnn-lessons.tests.one-engine";

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        // The tests compute under the scripts' settings (threads, engine, memory), set before any test starts an engine.
        System.setProperty("ai.djl.offline", "true");
        lib.Engines.prepare(null, null);
        System.out.println("Tests on " + lib.Engines.description());
        long[] counts = runTests(args);
        if (System.getProperty(ONE_ENGINE) == null) {
            for (lib.Engines.Name engine : lib.Engines.Name.values()) {
                if (engine == lib.Engines.chosen() || !engine.nativeLibraryPresent()) continue;
                // This engine's outcome first: the next engine's tests take a process of their own.
                System.out.println();
                System.out.println("On " + lib.Engines.chosen() + ": " + summary(counts));
                long[] more = runOnEngine(engine, args);
                for (int i = 0; i < counts.length; i++) counts[i] += more[i];
            }
        }
        System.out.println();
        System.out.println(summary(counts));
        System.exit(counts[1] == 0 && counts[0] > 0 ? 0 : 1);
    }

    /** Passed, failed and skipped tests, as a line. */
    private static String summary(long[] counts) {
        return counts[0] + " passed, " + counts[1] + " failed" + (counts[2] > 0 ? ", " + counts[2] + " skipped" : "");
    }

    /** Runs the same tests in a new Java process on {@code engine}; its lines pass through, its counts come back. */
    private static long[] runOnEngine(lib.Engines.Name engine, String[] args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> !option.startsWith("-Dai.djl.default_engine=")).toList());
        command.addAll(List.of("-D" + ONE_ENGINE + "=true", "-Dai.djl.default_engine=" + engine.name(),
                "-cp", System.getProperty("java.class.path"), RunTests.class.getName()));
        command.addAll(List.of(args));
        System.out.println();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String last = "";
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
            for (String line; (line = lines.readLine()) != null; ) {
                Matcher counts = SUMMARY.matcher(line);
                if (counts.matches()) {
                    last = line;
                } else {
                    System.out.println(line);
                }
            }
        }
        process.waitFor();
        Matcher counts = SUMMARY.matcher(last);
        if (!counts.matches()) return new long[] {0, 1, 0}; // the process died: count it as a failure
        return new long[] {Long.parseLong(counts.group(1)), Long.parseLong(counts.group(2)),
                counts.group(3) == null ? 0 : Long.parseLong(counts.group(3))};
    }

    private static final Pattern SUMMARY = Pattern.compile("(\\d+) passed, (\\d+) failed(?:, (\\d+) skipped)?");

    /** Runs the tests named in {@code args} (all when none) on the engine of this process; passed, failed, skipped. */
    private static long[] runTests(String[] args) throws Exception {
        Path jar = Path.of(RunTests.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        if (args.length == 0) {
            request.selectors(selectClasspathRoots(Set.of(jar)));
        } else {
            for (String name : args) request.selectors(selectClass(name));
        }
        LauncherDiscoveryRequest discovery = request.build();

        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        TestExecutionListener printer = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (!test.isTest()) {
                    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
                        System.out.println("  skipped " + test.getDisplayName() + ": "
                                + result.getThrowable().map(Throwable::getMessage).orElse("?"));
                    }
                    return;
                }
                String name = test.getUniqueIdObject().getSegments().get(1).getValue() + " > " + test.getDisplayName();
                switch (result.getStatus()) {
                    case SUCCESSFUL -> System.out.println("  ok      " + name);
                    case ABORTED -> System.out.println("  skipped " + name + ": "
                            + result.getThrowable().map(Throwable::getMessage).orElse("?"));
                    default -> System.out.println("  FAILED  " + name + ": "
                            + result.getThrowable().map(Throwable::toString).orElse("?"));
                }
            }

            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                if (test.isTest()) System.out.println("  skipped " + test.getDisplayName() + ": " + reason);
            }
        };
        Launcher launcher = LauncherFactory.create();
        launcher.execute(discovery, summary, printer);

        TestExecutionSummary result = summary.getSummary();
        result.getFailures().forEach(failure -> {
            System.out.println();
            System.out.println("FAILED " + failure.getTestIdentifier().getDisplayName());
            failure.getException().printStackTrace(System.out);
        });
        long skipped = result.getTestsSkippedCount() + result.getTestsAbortedCount();
        return new long[] {result.getTestsSucceededCount(), result.getTotalFailureCount(), skipped};
    }
}
