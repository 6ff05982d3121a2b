///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Runs every JUnit 5 test under tests/ and ends with "N passed, N failed"
//DEPS org.junit.platform:junit-platform-console-standalone:1.14.4
//SOURCES ../scripts/lib/*.java
//SOURCES *Test.java
//SOURCES TestFiles.java

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import java.nio.file.Path;
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
 * Compiles the helper library and every *Test.java here into one jar, runs the tests in it, prints
 * one line a test, and ends with "N passed, N failed" (and ", N skipped" when some were).
 */
public class RunTests {
    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        // The tests compute under the scripts' settings (threads, engine, memory), set before any test starts MXNet.
        System.setProperty("ai.djl.offline", "true");
        lib.Engines.prepare(null);
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
                if (!test.isTest()) return;
                String name = test.getUniqueIdObject().getSegments().get(1).getValue() + " > " + test.getDisplayName();
                switch (result.getStatus()) {
                    case SUCCESSFUL -> System.out.println("  ok      " + name);
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
        System.out.println();
        System.out.println(result.getTestsSucceededCount() + " passed, " + result.getTotalFailureCount() + " failed"
                + (skipped > 0 ? ", " + skipped + " skipped" : ""));
        System.exit(result.getTotalFailureCount() == 0 && result.getTestsFoundCount() > 0 ? 0 : 1);
    }
}
