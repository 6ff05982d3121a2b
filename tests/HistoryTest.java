import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lib.History;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
    @TempDir Path dir;

    private static History sample() {
        History history = new History();
        history.add(1, 0.861149, 0.683651, 0.57004, 0.78876, 52.26);
        history.add(2, 0.5000001f, 0.8730000257492065, 0.41239, 0.85, 49.94);
        history.add(3, 0.123449, 0.99996, 0.3, 0.91114, 50.0);
        return history;
    }

    @Test
    void valuesKeepEveryDigitAndSecondsOneDecimal() {
        History history = sample();
        assertArrayEquals(new double[] {0.861149, 0.5000001192092896, 0.123449}, history.column("loss"));
        assertArrayEquals(new double[] {0.57004, 0.41239, 0.3}, history.column("val_loss"));
        assertArrayEquals(new double[] {52.3, 49.9, 50.0}, history.column("seconds"));
        assertEquals(3, history.epochs());
        assertEquals(0.91114, history.last("val_accuracy"));
    }

    @Test
    void printedWithFourDecimalsAsKerasPrintsThem() {
        String printed = sample().toString();
        assertTrue(printed.contains("0.8611") && printed.contains("0.4124") && printed.contains("0.9111"), printed);
        assertFalse(printed.contains("0.861149"), printed);
    }

    @Test
    void nanIsKeptNotRoundedToZero() {
        History history = new History();
        history.add(1, Double.NaN, 0.5, Double.NaN, 0.25, Double.NaN);
        assertTrue(Double.isNaN(history.last("loss")));
        assertTrue(Double.isNaN(history.last("val_loss")));
        assertTrue(Double.isNaN(history.last("seconds")));
        assertEquals(0.25, history.last("val_accuracy"));
    }

    @Test
    void csvRoundTrip() throws IOException {
        History history = sample();
        Path file = dir.resolve("run").resolve("history.csv");

        history.writeCsv(file);

        List<String> lines = Files.readAllLines(file);
        assertEquals("epoch,loss,accuracy,val_loss,val_accuracy,seconds", lines.get(0));
        assertEquals("2,0.5000001192092896,0.8730000257492065,0.41239,0.85,49.9", lines.get(2));
        assertEquals(4, lines.size());
        assertEquals(List.of("history.csv"), TestFiles.list(file.getParent()), "temporary file left behind");

        History read = History.readCsv(file);
        assertEquals(3, read.epochs());
        for (String column : History.COLUMNS) assertArrayEquals(history.column(column), read.column(column), column);
    }

    @Test
    void csvWithoutSecondsStillReads() throws IOException {
        Path file = Files.writeString(dir.resolve("old.csv"), "epoch,loss,accuracy,val_loss,val_accuracy\n1,0.5,0.8,0.6,0.7\n");
        History read = History.readCsv(file);
        assertEquals(1, read.epochs());
        assertEquals(0.7, read.last("val_accuracy"));
        assertTrue(Double.isNaN(read.last("seconds")));
    }

    @Test
    void csvMissingAColumn() throws IOException {
        Path file = Files.writeString(dir.resolve("history.csv"), "epoch,loss,accuracy,val_accuracy\n1,0.5,0.8,0.7\n");
        TestFiles.assertBadInput(() -> History.readCsv(file), file, "'val_loss'");
    }

    @Test
    void csvWithNoRows() throws IOException {
        Path file = Files.writeString(dir.resolve("history.csv"), "epoch,loss,accuracy,val_loss,val_accuracy,seconds\n");
        TestFiles.assertBadInput(() -> History.readCsv(file), file, "has no rows");
    }

    @Test
    void csvWithText() throws IOException {
        Path file = Files.writeString(dir.resolve("history.csv"), "epoch,loss,accuracy,val_loss,val_accuracy\n1,low,0.8,0.6,0.7\n");
        TestFiles.assertBadInput(() -> History.readCsv(file), file, "'loss'", "not numeric");
    }

    @Test
    void aLossOfNanEveryEpochReadsBackAsNan() throws IOException {
        // Tablesaw writes NaN as an empty cell; a column of nothing but empty cells is no number column.
        Path file = Files.writeString(dir.resolve("history.csv"), "epoch,loss,accuracy,val_loss,val_accuracy,seconds\n1,2.3,0.1,,0.12,0.1\n");
        History history = History.readCsv(file);
        assertTrue(Double.isNaN(history.last("val_loss")));
        assertEquals(0.12, history.last("val_accuracy"), 1e-9);
    }

    @Test
    void emptyFile() throws IOException {
        Path file = Files.writeString(dir.resolve("history.csv"), "");
        TestFiles.assertBadInput(() -> History.readCsv(file), file);
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("nope.csv");
        TestFiles.assertBadInput(() -> History.readCsv(file), file, "no such file");
    }

    @Test
    void aFolderOrATextThatIsNoCsvIsOneLineNamingIt() throws IOException {
        TestFiles.assertBadInput(() -> History.readCsv(dir), dir, "is a folder");
        Path text = Files.writeString(dir.resolve("README.md"), "# A title\n\nSome words, then more words, with Python and Keras*: etc\nand a line\n");
        String message = TestFiles.assertBadInput(() -> History.readCsv(text), text, "not a history CSV file", "epoch,loss");
        assertFalse(message.contains("Exception"), message);
    }
}
