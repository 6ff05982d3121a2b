package lib;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * What Keras's {@code model.fit} returns as {@code history.history}: one row an epoch with the
 * training and validation loss and accuracy, here also the seconds the epoch took. A Tablesaw table,
 * saved as CSV.
 */
public final class History {
    public static final List<String> COLUMNS = List.of("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds");

    private final Table table;

    public History() {
        this(Table.create("history", IntColumn.create("epoch"), DoubleColumn.create("loss"),
                DoubleColumn.create("accuracy"), DoubleColumn.create("val_loss"),
                DoubleColumn.create("val_accuracy"), DoubleColumn.create("seconds")));
    }

    private History(Table table) {
        this.table = table;
    }

    public void add(int epoch, double loss, double accuracy, double validationLoss, double validationAccuracy, double seconds) {
        table.intColumn("epoch").append(epoch);
        table.doubleColumn("loss").append(loss);
        table.doubleColumn("accuracy").append(accuracy);
        table.doubleColumn("val_loss").append(validationLoss);
        table.doubleColumn("val_accuracy").append(validationAccuracy);
        table.doubleColumn("seconds").append(round(seconds, 1));
    }

    /** A history of its own with the same rows. */
    public History copy() {
        return new History(table.copy());
    }

    /** The first {@code count} epochs. */
    public History first(int count) {
        return new History(table.first(count));
    }

    public Table table() {
        return table;
    }

    public int epochs() {
        return table.rowCount();
    }

    public double[] column(String name) {
        return table.numberColumn(name).asDoubleArray();
    }

    /** The value of {@code column} in the last epoch. */
    public double last(String column) {
        return table.numberColumn(column).getDouble(table.rowCount() - 1);
    }

    public Path writeCsv(Path file) {
        return AtomicFiles.write(file, temporary -> table.write().csv(temporary.toFile()));
    }

    /** Reads a history CSV, as written by {@link #writeCsv}. */
    public static History readCsv(Path file) {
        if (Files.isDirectory(file)) throw new BadInputException(file, "is a folder; name the history.csv file in it");
        if (!Files.isRegularFile(file)) throw new BadInputException(file, "no such file");
        Table read;
        try {
            read = Table.read().csv(file.toFile());
        } catch (RuntimeException e) { // the reader's own message names its internals, not the file's problem
            throw new BadInputException(file, "not a history CSV file: it should begin with the line " + String.join(",", COLUMNS));
        }
        // Before the column checks: Tablesaw reads a header-only file as a table without columns.
        if (read.rowCount() == 0) throw new BadInputException(file, "has no rows");
        History history = new History();
        for (String column : COLUMNS.subList(0, 5)) {
            if (!read.columnNames().contains(column)) {
                throw new BadInputException(file, "has no '" + column + "' column; expected " + String.join(",", COLUMNS));
            }
            boolean allMissing = read.column(column).countMissing() == read.rowCount(); // a loss of NaN is written as ""
            if (!(read.column(column) instanceof tech.tablesaw.api.NumericColumn<?>) && !allMissing) {
                throw new BadInputException(file, "column '" + column + "' is not numeric");
            }
        }
        boolean hasSeconds = read.columnNames().contains("seconds");
        for (int row = 0; row < read.rowCount(); row++) {
            history.add((int) read.numberColumn("epoch").getDouble(row), number(read, "loss", row), number(read, "accuracy", row),
                    number(read, "val_loss", row), number(read, "val_accuracy", row), hasSeconds ? number(read, "seconds", row) : Double.NaN);
        }
        return history;
    }

    /** A cell of a numeric column; NaN where the column holds no number at all (every epoch's loss NaN). */
    private static double number(Table read, String column, int row) {
        return read.column(column) instanceof tech.tablesaw.api.NumericColumn<?> numbers ? numbers.getDouble(row) : Double.NaN;
    }

    private static double round(double value, int decimals) {
        if (!Double.isFinite(value)) return value; // Math.round would turn NaN into 0
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    /** The table with four decimals, as Keras prints it (the CSV keeps every digit). */
    @Override
    public String toString() {
        Table rounded = table.copy();
        for (String column : COLUMNS.subList(1, 5)) {
            // Rounded as the progress line prints them (%.4f), so the table and the log agree.
            rounded.replaceColumn(column, rounded.doubleColumn(column).map(value ->
                    Double.isFinite(value) ? Double.parseDouble(String.format(java.util.Locale.ROOT, "%.4f", value)) : value));
        }
        return rounded.printAll();
    }
}
