///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Lesson 2: build the tutorial's Fashion-MNIST CNN and print its Keras-style summary (167,114 parameters)
//SOURCES lib/*.java

/*
 * Lesson 2: build the convolutional network.
 *
 * Keras:  model = keras.Sequential([
 *             layers.Conv2D(32, 3, padding="same", activation="relu", input_shape=(28, 28, 1)),
 *             layers.MaxPooling2D(2),
 *             layers.Conv2D(64, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
 *             layers.Conv2D(128, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
 *             layers.Flatten(), layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax")])
 *         model.summary()
 *
 * Run:    ./jbang build-cnn          (./jbang build-cnn --cifar for the deeper CIFAR-10 network)
 */

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.concurrent.Callable;
import lib.CommonOptions;
import lib.Launcher;
import lib.Models;
import lib.TutorialRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@CommonOptions.Uses({"--seed"})
@Command(name = "build-cnn", mixinStandardHelpOptions = true,
        description = "Builds the tutorial's CNN with Keras's initial weights and prints its summary.")
class BuildCnn implements Callable<Integer> {
    @Mixin CommonOptions options;

    @Option(names = "--cifar", description = "Build the deeper CIFAR-10 network instead (692,618 parameters).")
    boolean cifar;

    public static void main(String[] args) {
        Launcher.run(new BuildCnn(), args);
    }

    @Override
    public Integer call() {
        Engine.getInstance().setRandomSeed(options.seed);

        // 1. The layers, in order. Shapes are (channels, height, width): MXNet puts channels first.
        TutorialRun run = cifar ? TutorialRun.CIFAR10 : TutorialRun.FASHION_MNIST;
        Shape imageShape = run.dataset().imageShape();
        try (Model model = Models.create(run.network(), run.newNetwork(), imageShape)) {

            // 2. Keras's model.summary(): each layer's output shape and how many numbers it learns.
            System.out.println(Models.summary(model.getBlock(), imageShape));

            // 3. One forward pass on a blank image: ten scores, one a class, before any training.
            NDArray blank = model.getNDManager().zeros(Models.batchOf(1, imageShape));
            NDList scores = model.getBlock().forward(new ParameterStore(model.getNDManager(), false), new NDList(blank), false);
            System.out.println("Scores for a blank image: " + scores.head());
            System.out.println("As probabilities (softmax): " + scores.head().softmax(1));
        }
        return 0;
    }
}
