import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Set;
import lib.BadInputException;
import lib.Engines;
import lib.Engines.Name;
import org.junit.jupiter.api.Test;

/** Which engine a script runs on, and which devices it trains on. */
class EnginesTest {
    private static final Set<Name> BOTH = EnumSet.allOf(Name.class);
    private static final Set<Name> PYTORCH_ONLY = EnumSet.of(Name.PyTorch);

    @Test
    void mxnetIsTheDefaultWhereItRunsAndARequestWinsInAnyCase() {
        assertEquals(Name.MXNet, Engines.choose(null, null, "Linux on amd64", true, BOTH));
        assertEquals(Name.PyTorch, Engines.choose("pytorch", "--engine", "Linux on amd64", true, BOTH));
        assertEquals(Name.MXNet, Engines.choose("MXNET", "DJL_DEFAULT_ENGINE", "Linux on amd64", true, BOTH));
        // Only PyTorch's native library on the classpath (./jbang --engine PyTorch): PyTorch, no note.
        assertEquals(Name.PyTorch, Engines.choose(null, null, "Linux on amd64", true, PYTORCH_ONLY));
    }

    @Test
    void whereMxnetHasNoBuildPyTorchRunsWithANote() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(notes, true));
            assertEquals(Name.PyTorch, Engines.choose(null, null, "Mac OS X on aarch64", false, PYTORCH_ONLY));
        } finally {
            System.setErr(stderr);
        }
        assertEquals("Note: MXNet has no build for Mac OS X on aarch64; running on PyTorch.", notes.toString().trim());
    }

    @Test
    void eachImpossibleChoiceIsOneLineNamingWhatIsMissing() {
        String unknown = assertThrows(BadInputException.class,
                () -> Engines.choose("TensorFlow", "--engine", "Linux on amd64", true, BOTH)).getMessage();
        assertTrue(unknown.contains("TensorFlow") && unknown.contains("MXNet or PyTorch"), unknown);
        String noBuild = assertThrows(BadInputException.class,
                () -> Engines.choose("MXNet", "--engine", "Linux on aarch64", false, BOTH)).getMessage();
        assertTrue(noBuild.contains("Linux on aarch64") && noBuild.contains("--engine PyTorch"), noBuild);
        String noNative = assertThrows(BadInputException.class,
                () -> Engines.choose("PyTorch", "--engine", "Linux on amd64", true, EnumSet.of(Name.MXNet))).getMessage();
        assertTrue(noNative.startsWith("PyTorch's native library is not on the classpath") && noNative.contains("./jbang"), noNative);
        String nothing = assertThrows(BadInputException.class,
                () -> Engines.choose(null, null, "Linux on aarch64", false, EnumSet.of(Name.MXNet))).getMessage();
        assertTrue(nothing.contains("Linux on aarch64") && nothing.contains("PyTorch's native library"), nothing);
        assertTrue(!noBuild.contains("\n") && !noNative.contains("\n") && !nothing.contains("\n"));
    }

    @Test
    void theScriptsRunOnTheEngineChosen() {
        assertEquals(Engines.chosen().name(), Engine.getInstance().getEngineName());
        assertTrue(Engines.description().startsWith(Engines.chosen().name() + " "), Engines.description());
    }

    @Test
    void withoutGpusTrainingUsesTheCpuAndAskingForGpusSaysWhatIsMissing() {
        Device[] devices = Engines.devices(null);
        assertEquals(1, devices.length);
        assertEquals(Device.cpu(), devices[0]);
        for (String bad : new String[] {"two", "0", "-1"}) {
            String message = assertThrows(BadInputException.class, () -> Engines.devices(bad)).getMessage();
            assertTrue(message.startsWith("--gpus"), message);
        }
        if (Engine.getInstance().getGpuCount() == 0) {
            String none = assertThrows(BadInputException.class, () -> Engines.devices("1")).getMessage();
            assertTrue(none.contains("sees no GPU") && none.contains(Engines.chosen().name()), none);
            assertThrows(BadInputException.class, () -> Engines.devices("all"));
        } else {
            int gpus = Engine.getInstance().getGpuCount();
            assertEquals(gpus, Engines.devices("all").length);
            String tooMany = assertThrows(BadInputException.class, () -> Engines.devices(String.valueOf(gpus + 1))).getMessage();
            assertTrue(tooMany.contains("sees only " + gpus), tooMany);
        }
    }

    @Test
    void djlDefaultEngineSpeltOtherwiseThanDjlSpellsItIsOneLineGivingTheSpelling() {
        String message = TestFiles.assertBadInput(() -> Engines.requireDjlSpelling("pytorch"), "DJL_DEFAULT_ENGINE=PyTorch");
        assertTrue(message.startsWith("DJL_DEFAULT_ENGINE=pytorch"), message);
        TestFiles.assertBadInput(() -> Engines.requireDjlSpelling("mxnet"), "DJL_DEFAULT_ENGINE=MXNet");
        Engines.requireDjlSpelling("PyTorch");
        Engines.requireDjlSpelling("MXNet");
        Engines.requireDjlSpelling(null);
        Engines.requireDjlSpelling("Caffe"); // no engine of the course: said where the engine is chosen
    }
}
