import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import lib.Charts;
import lib.History;
import lib.LabeledImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class ChartsTest {
    private static final int TRAINING_BLUE = 0x1F77B4;
    private static final int VALIDATION_ORANGE = 0xFF7F0E;
    private static final List<String> NAMES = List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9");

    @TempDir Path dir;

    private static History history(double shift) {
        History history = new History();
        for (int epoch = 1; epoch <= 4; epoch++) {
            history.add(epoch, 1.0 / epoch + shift, 0.5 + 0.1 * epoch, 1.1 / epoch + shift, 0.45 + 0.1 * epoch - shift, 10);
        }
        return history;
    }

    private static BufferedImage read(Path file) throws IOException {
        assertTrue(Files.size(file) > 0, file + " is empty");
        BufferedImage image = ImageIO.read(file.toFile());
        assertTrue(image != null, file + " is not a readable PNG");
        return image;
    }

    private static int countColour(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++)
            for (int x = 0; x < image.getWidth(); x++) if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) count++;
        return count;
    }

    @Test
    void curvesAreSavedAs640By420Pngs() throws IOException {
        List<Path> files = Charts.saveCurves(history(0), "Test run", dir);

        assertEquals(List.of(dir.resolve("accuracy.png"), dir.resolve("loss.png")), files);
        for (Path file : files) {
            BufferedImage image = read(file);
            assertEquals(640, image.getWidth());
            assertEquals(420, image.getHeight());
            // Both lines are drawn, in the tutorial's colours.
            assertTrue(countColour(image, TRAINING_BLUE) > 100, file + ": no training line");
            assertTrue(countColour(image, VALIDATION_ORANGE) > 100, file + ": no validation line");
        }
        assertEquals(List.of("accuracy.png", "loss.png"), TestFiles.list(dir), "temporary files left behind");
    }

    @Test
    void curvesPlotTheHistoryColumns() {
        XYChart chart = Charts.curves(history(0), "loss", "t");
        double[] y = chart.getSeries("validation loss").getYData();
        assertEquals(1.1 / 3, y[2], 1e-4);
        assertEquals(4, chart.getSeries("training loss").getXData().length);
    }

    @Test
    void sampleGridIsRowsByColumnsOfTiles() throws IOException {
        // Colour images of one flat colour each, labelled 0, 1, 2, ...
        int count = 12;
        byte[] pixels = new byte[count * 28 * 28 * 3];
        for (int p = 0; p < count * 28 * 28; p++) {
            pixels[p * 3] = 10;
            pixels[p * 3 + 1] = (byte) 200;
            pixels[p * 3 + 2] = 30;
        }
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte) (i % 10);
        LabeledImages images = new LabeledImages(pixels, labels, 28, 28, 3, NAMES);

        List<XYChart> tiles = Charts.samples(images, 12, 4);
        assertEquals(12, tiles.size());
        assertEquals("c0", tiles.get(0).getTitle());
        assertEquals("c1", tiles.get(11).getTitle());
        assertEquals(5, Charts.samples(images.first(5), 12, 4).size());

        Path file = Charts.saveGrid(tiles, 3, 4, dir.resolve("samples.png"));

        BufferedImage grid = read(file);
        int tileWidth = tiles.get(0).getWidth();
        int tileHeight = tiles.get(0).getHeight();
        assertTrue(tileWidth >= 28 * 4 && tileHeight >= 28 * 4, tileWidth + "x" + tileHeight);
        assertEquals(4 * tileWidth, grid.getWidth());
        assertEquals(3 * tileHeight, grid.getHeight());
        // Every picture appears, enlarged 4 times: 112 x 112 pixels of its colour each.
        int green = countColour(grid, 10 << 16 | 200 << 8 | 30);
        assertTrue(green >= 12 * 112 * 112 && green < 13 * 112 * 112, green + " picture pixels");
        assertEquals(List.of("samples.png"), TestFiles.list(dir), "temporary files left behind");
    }

    @Test
    void comparisonSharesEachRowsScale() throws IOException {
        List<XYChart> charts = Charts.comparison(List.of(history(0), history(0.5)), List.of("plain", "augmented"));

        assertEquals(4, charts.size()); // accuracy of both runs, then loss of both
        assertEquals("plain: accuracy", charts.get(0).getTitle());
        assertEquals("augmented: accuracy", charts.get(1).getTitle());
        assertEquals("plain: loss", charts.get(2).getTitle());
        assertEquals(charts.get(0).getStyler().getYAxisMin(), charts.get(1).getStyler().getYAxisMin());
        assertEquals(charts.get(0).getStyler().getYAxisMax(), charts.get(1).getStyler().getYAxisMax());
        assertEquals(charts.get(2).getStyler().getYAxisMax(), charts.get(3).getStyler().getYAxisMax());
        // Loss spans 0.25 .. 1.6 over both runs, with a 5% margin.
        assertEquals(0.25 - 0.0675, charts.get(2).getStyler().getYAxisMin(), 1e-3);
        assertEquals(1.6 + 0.0675, charts.get(3).getStyler().getYAxisMax(), 1e-3);

        BufferedImage image = read(Charts.saveGrid(charts, 2, 2, dir.resolve("comparison.png")));
        assertEquals(1280, image.getWidth());
        assertEquals(840, image.getHeight());
        assertEquals(List.of("comparison.png"), TestFiles.list(dir));
    }
}
