///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../scripts/lib/*.java

// Writes the first N CIFAR-10 test images as picture files, to try classify on: as 32 x 32 PNG (the
// very pixels evaluate sees) and enlarged to 128 x 128 JPEG (a stand-in for a photo: another size,
// compressed), with labels.csv saying what each one shows.
// Run: ./jbang lessons/examples/ExportTestPictures.java output/pictures 1000

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import lib.BadInputException;
import lib.LabeledImages;
import lib.TutorialRun.Dataset;

public class ExportTestPictures {
    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[1].matches("[1-9][0-9]*")) {
            System.err.println("usage: ExportTestPictures FOLDER COUNT (a whole number of test pictures, 1 or more)");
            System.exit(2);
        }
        Path folder = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        LabeledImages test;
        try {
            test = Dataset.CIFAR10.load(null).test().first(count);
        } catch (BadInputException e) { // CIFAR-10 not found: one line says where it was looked for
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path png = folder.resolve("png"), jpeg = folder.resolve("jpeg-128");
        Files.createDirectories(png);
        Files.createDirectories(jpeg);
        StringBuilder labels = new StringBuilder("file,label\n");
        for (int i = 0; i < test.size(); i++) {
            String name = String.format("test-%04d", i);
            BufferedImage image = test.toImage(i);
            ImageIO.write(image, "png", png.resolve(name + ".png").toFile());
            BufferedImage large = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = large.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(image, 0, 0, 128, 128, null);
            g.dispose();
            ImageIO.write(large, "jpg", jpeg.resolve(name + ".jpg").toFile());
            labels.append(name).append(',').append(test.classNames().get(test.label(i))).append('\n');
        }
        Files.writeString(folder.resolve("labels.csv"), labels);
        System.out.println("Wrote " + test.size() + " pictures into " + png + " and " + jpeg + ", and " + folder.resolve("labels.csv"));
    }
}
