import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lib.CommonOptions;
import lib.DataSplits;
import lib.Evaluation;
import lib.History;
import lib.Manifest;
import lib.RunFolder;
import lib.Training;
import lib.TrainingOptions;
import lib.TutorialRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Run folders: checkpoints, --resume, --overwrite, and what evaluate accepts. In process, on tiny made-up data. */
class RunFolderTest {
    @TempDir Path temp;
    Path data;
    Path out;

    @Command(name = "train")
    static class Options {
        @Mixin CommonOptions common;
        @Mixin TrainingOptions training;
    }

    @BeforeEach
    void makeData() throws IOException {
        data = Files.createDirectories(temp.resolve("data"));
        TestFiles.fashionMnist(data, 120, 20, false); // 60 training and 60 validation images
        out = temp.resolve("run");
    }

    /** What train-fashion-mnist does with these options, its printing kept out of the test log. */
    private History train(String... args) {
        Options options = new Options();
        String[] all = concat(args, "--data-dir", data.toString(), "--output", out.toString());
        new CommandLine(options).parseArgs(List.of(args).contains("--batch-size") ? all : concat(all, "--batch-size", "16"));
        PrintStream original = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            TutorialRun run = TutorialRun.FASHION_MNIST;
            RunFolder folder = RunFolder.forTraining(run, options.common, options.training);
            if (folder.isComplete()) return null;
            Engine.getInstance().setRandomSeed(options.common.seed);
            DataSplits splits = run.dataset().load(options.common.dataDir).limit(options.common.limit());
            folder.recordData(options.common.dataDir, splits);
            Shape shape = splits.train().imageShape();
            try (Model model = folder.model(shape); NDManager manager = NDManager.newBaseManager()) {
                int batch = options.common.batchSize;
                return Training.fit(model, splits.train().shuffled(manager, batch, options.common.seed),
                        splits.validation().inOrder(manager, batch), batch, shape, folder);
            }
        } finally {
            System.setOut(original);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private byte[] weights(int epoch) throws IOException {
        return Files.readAllBytes(out.resolve(String.format("fashion-mnist-cnn-%04d.params", epoch)));
    }

    @Test
    void aResumedRunEndsWithTheWeightsAndHistoryOfOneThatNeverStopped() throws IOException {
        History whole = train("--epochs", "3");
        byte[] wholeWeights = weights(3);
        String wholeHistory = Files.readString(out.resolve("history.csv"));
        train("--epochs", "1", "--overwrite");
        assertEquals(List.of("fashion-mnist-cnn-0001.params", "history.csv", "manifest.json"), TestFiles.list(out));
        History resumed = train("--resume", "--epochs", "3");

        assertArrayEquals(wholeWeights, weights(3));
        assertEquals(TestFiles.list(out), List.of("fashion-mnist-cnn-0003.params", "history.csv", "manifest.json"), "older weights removed");
        assertEquals(withoutSeconds(wholeHistory), withoutSeconds(Files.readString(out.resolve("history.csv"))));
        assertArrayEquals(whole.column("val_loss"), resumed.column("val_loss"));
        Manifest manifest = Manifest.read(out);
        assertEquals(3, manifest.epochsDone());
        assertEquals("fashion-mnist-cnn-0003.params", manifest.weights());
    }

    @Test
    void aResumedRunRecordsTheEngineAndThreadsOfItsLatestEpoch() throws IOException {
        train("--epochs", "1");
        Path file = out.resolve(Manifest.FILE);
        Manifest current = Manifest.read(out);
        // As if epoch 1 had been trained elsewhere: on another engine, with other threads.
        Files.writeString(file, Files.readString(file).replace(current.versions().get("engine"), "PyTorch 2.7.1")
                .replace("\"threads\": " + current.threads(), "\"threads\": 7"));
        assertEquals("PyTorch 2.7.1", Manifest.read(out).versions().get("engine"));
        train("--resume", "--epochs", "2");
        Manifest resumed = Manifest.read(out);
        assertEquals(current.versions().get("engine"), resumed.versions().get("engine"), "the engine epoch 2 ran on");
        assertEquals(current.threads(), resumed.threads(), "the threads epoch 2 ran with");
    }

    private static List<String> withoutSeconds(String csv) {
        return csv.lines().map(line -> line.substring(0, line.lastIndexOf(','))).toList();
    }

    @Test
    void aCrashBetweenHistoryAndManifestLeavesTheEarlierEpochWhole() throws IOException {
        train("--epochs", "2");
        byte[] reference = weights(2);
        String history = Files.readString(out.resolve("history.csv"));
        train("--epochs", "1", "--overwrite");
        // What a crash leaves after writing epoch 2's weights and history but before its manifest:
        // a second weights file, one history row more than the manifest counts, a temporary file.
        Files.write(out.resolve("fashion-mnist-cnn-0002.params"), new byte[] {1, 2, 3});
        Files.writeString(out.resolve("history.csv"), history);
        Files.writeString(out.resolve(".manifest.json.123.part.json"), "{");
        train("--resume", "--epochs", "2");

        assertArrayEquals(reference, weights(2));
        assertEquals(withoutSeconds(history), withoutSeconds(Files.readString(out.resolve("history.csv"))));
        assertEquals(List.of("fashion-mnist-cnn-0002.params", "history.csv", "manifest.json"), TestFiles.list(out));
    }

    @Test
    void aNewRunIsRefusedWhereAnotherRunLives() throws IOException {
        train("--epochs", "2");
        List<String> before = TestFiles.list(out);
        TestFiles.assertBadInput(() -> train("--epochs", "1", "--seed", "7"), out, "already holds a run", "--resume", "--overwrite", "--output");
        assertEquals(before, TestFiles.list(out), "nothing deleted");
        assertTrue(Files.exists(out.resolve("fashion-mnist-cnn-0002.params")));

        train("--epochs", "1", "--seed", "7", "--overwrite");
        assertEquals(List.of("fashion-mnist-cnn-0001.params", "history.csv", "manifest.json"), TestFiles.list(out), "replaced wholesale");
        assertEquals(7, Manifest.read(out).seed());
    }

    @Test
    void otherFilesShareTheFolderAndOverwriteLeavesThemAlone() throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("samples.png"), "lesson 1's grid");
        train("--epochs", "1");
        train("--epochs", "1", "--seed", "7", "--overwrite");
        assertEquals(List.of("fashion-mnist-cnn-0001.params", "history.csv", "manifest.json", "samples.png"), TestFiles.list(out));
        assertEquals("lesson 1's grid", Files.readString(out.resolve("samples.png")));
    }

    @Test
    void resumeRefusesWhatDoesNotFit() throws IOException {
        TestFiles.assertBadInput(() -> train("--resume"), out, "nothing to resume");
        Files.createDirectories(out);
        TestFiles.assertBadInput(() -> train("--resume"), out, "no manifest.json");
        train("--epochs", "1", "--overwrite");
        TestFiles.assertBadInput(() -> train("--resume", "--epochs", "2", "--seed", "7"), "--seed 7", "seed 42");
        TestFiles.assertBadInput(() -> train("--resume", "--epochs", "2", "--batch-size", "8"), "--batch-size 8");
        TestFiles.assertBadInput(() -> train("--resume", "--overwrite"), "--resume and --overwrite");
        assertEquals(null, train("--resume"), "a finished run has nothing to resume");
        // A run stopped after its last checkpoint, before its curves were drawn: resuming draws them.
        assertTrue(Files.isRegularFile(out.resolve("accuracy.png")) && Files.isRegularFile(out.resolve("loss.png")));
        Files.writeString(out.resolve("manifest.json"), Files.readString(out.resolve("manifest.json")).replace("\"fashion-mnist\"", "\"cifar10\""));
        TestFiles.assertBadInput(() -> train("--resume", "--epochs", "2"), out, "holds a cifar10 run");
    }

    @Test
    void aDamagedCheckpointIsOneLineOfBadInput() throws IOException {
        train("--epochs", "1");
        Path weights = out.resolve("fashion-mnist-cnn-0001.params");
        byte[] intact = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(intact, intact.length / 2));
        TestFiles.assertBadInput(() -> RunFolder.open(out), weights, "corrupt or truncated");
        TestFiles.assertBadInput(() -> train("--resume", "--epochs", "2"), weights, "corrupt or truncated");
        Files.delete(weights);
        TestFiles.assertBadInput(() -> RunFolder.open(out), weights, "missing");
        Files.write(weights, intact);
        RunFolder.open(out); // whole again

        Path manifest = out.resolve("manifest.json");
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.substring(0, text.length() / 2));
        TestFiles.assertBadInput(() -> RunFolder.open(out), manifest, "not a readable run manifest");
        Files.writeString(manifest, "{\"format\": 1}");
        TestFiles.assertBadInput(() -> RunFolder.open(out), manifest, "not a complete run manifest");
        Files.delete(manifest);
        TestFiles.assertBadInput(() -> RunFolder.open(out), out, "no manifest.json");
    }

    @Test
    void weightsInAFormatNoEngineReadsAreOneLineOfBadInput() throws Exception {
        train("--epochs", "1");
        // A file of another kind under the weights' name, its checksum put in the manifest (as a
        // hand-edited folder would have): it passes the checksum, and the engine cannot read it.
        Path weights = out.resolve("fashion-mnist-cnn-0001.params");
        String before = RunFolder.open(out).manifest().weightsSha256();
        byte[] other = "PK\u0003\u0004 a TorchScript archive, say".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Files.write(weights, other);
        String after = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(other));
        Path manifest = out.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace(before, after));
        RunFolder.Saved saved = RunFolder.open(out);
        TestFiles.assertBadInput(saved::loadModel, weights, "cannot be loaded");
    }

    @Test
    void anUnwritableOutputIsReportedBeforeTraining() throws IOException {
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        out = file.resolve("run");
        TestFiles.assertBadInput(() -> train("--epochs", "1"), out, "cannot be written");
        out = temp.resolve("new").resolve("deeper");
        Options options = new Options();
        new CommandLine(options).parseArgs("--output", out.toString());
        RunFolder.forTraining(TutorialRun.FASHION_MNIST, options.common, options.training);
        assertFalse(Files.exists(temp.resolve("new")), "a folder made to check it can be written is removed until the first checkpoint");
    }

    @Test
    void quickLooksGetAFolderOfTheirOwn() {
        assertEquals(Path.of("output", "cifar10"), TutorialRun.CIFAR10.defaultOutput(false));
        assertEquals(Path.of("output", "cifar10-quick"), TutorialRun.CIFAR10.defaultOutput(true));
    }

    @Test
    void evaluateLoadsTheWeightsTheManifestNamesAndItsLossIsTheHistorysValidationLoss() throws IOException {
        History history = train("--epochs", "2");
        // The validation images, evaluated as evaluate does: 60 images, batches of 16, 16, 16 and 12.
        DataSplits splits = TutorialRun.Dataset.FASHION_MNIST.load(data);
        RunFolder.Saved saved = RunFolder.open(out);
        assertEquals(TutorialRun.FASHION_MNIST, saved.run());
        PrintStream original = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try (Model model = saved.loadModel()) {
            Evaluation evaluation = Evaluation.of(model, splits.validation(), 16);
            assertEquals(history.last("val_accuracy"), evaluation.accuracy(), 1e-6);
            // Keras averages the loss over images: the last batch of 12 counts for 12, not for 16.
            assertEquals(history.last("val_loss"), evaluation.loss(), 1e-6);
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void theLearningRateIsPartOfTheRun() throws IOException {
        TestFiles.assertBadInput(() -> train("--epochs", "1", "--lr", "0"), "--lr must be a positive number");
        train("--epochs", "1", "--lr", "0.05");
        assertEquals(0.05f, Manifest.read(out).learningRate());
        TestFiles.assertBadInput(() -> train("--resume", "--epochs", "2", "--lr", "0.01"), "--lr 0.01", "learning rate 0.05");
        byte[] oneEpoch = weights(1);
        train("--epochs", "1", "--overwrite"); // the tutorial's 0.01: other weights
        assertFalse(java.util.Arrays.equals(oneEpoch, weights(1)));
    }

    @Test
    void momentumsVelocitiesArePartOfTheCheckpointAndResumeExactly() throws IOException {
        TestFiles.assertBadInput(() -> train("--epochs", "1", "--momentum", "1"), "--momentum must be at least 0 and below 1");
        train("--epochs", "3", "--momentum", "0.9");
        byte[] whole = weights(3);
        Manifest manifest = Manifest.read(out);
        assertEquals(0.9f, manifest.momentum());
        assertEquals("fashion-mnist-cnn-0003.velocities", manifest.velocities());
        train("--epochs", "1", "--momentum", "0.9", "--overwrite");
        TestFiles.assertBadInput(() -> train("--resume", "--epochs", "3", "--momentum", "0.5"), "--momentum 0.5", "momentum 0.9");
        Path velocities = out.resolve("fashion-mnist-cnn-0001.velocities");
        byte[] intact = Files.readAllBytes(velocities);
        Files.write(velocities, java.util.Arrays.copyOf(intact, intact.length / 2));
        TestFiles.assertBadInput(() -> train("--resume", "--epochs", "3"), velocities, "corrupt or truncated");
        Files.write(velocities, intact);
        train("--resume", "--epochs", "3");
        assertArrayEquals(whole, weights(3), "resumed with the velocities of epoch 1, as if it never stopped");
        assertFalse(Files.exists(velocities), "epoch 1's velocities left beside epoch 3's");
    }

    @Test
    void dropoutAndWeightDecayArePartOfTheRunAndResumeExactly() throws IOException {
        TestFiles.assertBadInput(() -> train("--epochs", "1", "--dropout", "1"), "--dropout must be at least 0 and below 1");
        TestFiles.assertBadInput(() -> train("--epochs", "1", "--weight-decay", "-0.1"), "--weight-decay must be 0 or more");
        train("--epochs", "3", "--dropout", "0.3", "--weight-decay", "0.001");
        byte[] whole = weights(3);
        Manifest manifest = Manifest.read(out);
        assertEquals(0.3f, manifest.dropout());
        assertEquals(0.001f, manifest.weightDecay());
        train("--epochs", "1", "--dropout", "0.3", "--weight-decay", "0.001", "--overwrite");
        TestFiles.assertBadInput(() -> train("--resume", "--epochs", "3", "--dropout", "0.5"), "--dropout 0.5", "dropout 0.3");
        train("--resume", "--epochs", "3");
        assertArrayEquals(whole, weights(3), "the dropout masks of each epoch come from the seed and the epoch");
        try (Model model = RunFolder.open(out).loadModel()) {
            assertTrue(model.getBlock().getChildren().values().stream().anyMatch(b -> b instanceof ai.djl.nn.norm.Dropout));
        }
    }

    @Test
    void dropoutForANetworkWithoutDropoutLayersIsBadInputAndWritesNothing() {
        for (TutorialRun run : List.of(TutorialRun.FASHION_MNIST_DENSE, TutorialRun.CIFAR10_FAST)) {
            Options options = new Options();
            new CommandLine(options).parseArgs("--dropout", "0.3", "--output", out.toString());
            TestFiles.assertBadInput(() -> RunFolder.forTraining(run, options.common, options.training),
                    "--dropout: " + run.command(), "without Dropout layers");
            assertFalse(Files.exists(out));
        }
    }
}
