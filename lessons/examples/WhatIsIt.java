///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../scripts/lib/*.java

// A program of your own that uses a trained model: what is in this picture?
// Run: ./jbang lessons/examples/WhatIsIt.java my-photo.jpg [models/cifar10]

import ai.djl.modality.Classifications;
import ai.djl.modality.Classifications.Classification;
import java.nio.file.Path;
import lib.BadInputException;
import lib.Classifier;

public class WhatIsIt {
    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: WhatIsIt PICTURE [RUN_FOLDER]");
            System.exit(2);
        }
        Path picture = Path.of(args[0]);
        Path model = Path.of(args.length > 1 ? args[1] : "models/cifar10");
        try (Classifier classifier = Classifier.load(model)) {
            Classifications answer = classifier.classify(picture);
            for (Classification guess : answer.topK(3)) {
                System.out.printf("%-12s %5.1f%%%n", guess.getClassName(), 100 * guess.getProbability());
            }
        } catch (BadInputException e) { // no such picture, not a picture, no trained run there: one line says which
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }
}
