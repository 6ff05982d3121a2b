package lib;

import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The tutorial's three sets: training, validation (held out from training) and test. */
public record DataSplits(LabeledImages train, LabeledImages validation, LabeledImages test) {

    /** Keras tutorial's split: the first 5,000 training images become the validation set. */
    public static final int VALIDATION_SIZE = 5_000;

    public static DataSplits holdOutValidation(LabeledImages allTraining, LabeledImages test) {
        int validationSize = Math.min(VALIDATION_SIZE, allTraining.size() / 2);
        return new DataSplits(allTraining.slice(validationSize, allTraining.size()),
                allTraining.slice(0, validationSize), test);
    }

    /** At most {@code count} images of each set, for quick runs. */
    public DataSplits limit(int count) {
        return new DataSplits(train.first(count), validation.first(count), test.first(count));
    }

    /** How many images of each class each set holds: a balanced dataset has even columns. */
    public Table classCounts() {
        return Table.create("Images per class",
                StringColumn.create("class", train.classNames()),
                IntColumn.create("train", train.classCounts()),
                IntColumn.create("validation", validation.classCounts()),
                IntColumn.create("test", test.classCounts()));
    }
}
