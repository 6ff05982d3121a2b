package lib;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import javax.swing.ImageIcon;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JScrollPane;
import javax.swing.JTabbedPane;
import org.knowm.xchart.AnnotationImage;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.ChartEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The tutorial's figures, drawn with XChart and saved as PNG: training curves and image grids. */
public final class Charts {
    private Charts() {}

    private static final Color TRAINING = new Color(31, 119, 180);
    private static final Color VALIDATION = new Color(255, 127, 14);

    /** The tutorial's {@code plot_graph()}: training against validation, for one metric. */
    public static XYChart curves(History history, String metric, String title) {
        String label = metric.equals("loss") ? "Loss" : "Accuracy";
        XYChart chart = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("Epoch").yAxisTitle(label).build();
        // The legend below the plot hides no point; every accuracy plot runs from 0 to 1 and every loss
        // plot from 0, so two runs' figures compare even when read apart.
        chart.getStyler().setLegendPosition(LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisMin(0.0);
        if (!metric.equals("loss")) chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(5);
        double[] epochs = history.column("epoch");
        addLine(chart, "training " + metric, epochs, history.column(metric), TRAINING);
        addLine(chart, "validation " + metric, epochs, history.column("val_" + metric), VALIDATION);
        return chart;
    }

    private static void addLine(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setLineStyle(SeriesLines.SOLID);
    }

    /** Accuracy and loss curves of one run, as {@code accuracy.png} and {@code loss.png} in {@code dir}. */
    public static List<Path> saveCurves(History history, String runName, Path dir) {
        XYChart accuracy = curves(history, "accuracy", runName + ": accuracy");
        XYChart loss = curves(history, "loss", runName + ": loss");
        return List.of(save(accuracy, dir.resolve("accuracy.png")), save(loss, dir.resolve("loss.png")));
    }

    /**
     * Several runs side by side: one column a run, accuracy on top and loss below, each row on the
     * same scale so the runs compare at a glance.
     */
    public static List<XYChart> comparison(List<History> histories, List<String> names) {
        List<XYChart> grid = new ArrayList<>();
        for (String metric : List.of("accuracy", "loss")) {
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (History history : histories) {
                for (String column : List.of(metric, "val_" + metric)) {
                    for (double value : history.column(column)) {
                        min = Math.min(min, value);
                        max = Math.max(max, value);
                    }
                }
            }
            double margin = (max - min) * 0.05;
            for (int i = 0; i < histories.size(); i++) {
                XYChart chart = curves(histories.get(i), metric, names.get(i) + ": " + metric);
                chart.getStyler().setYAxisMin(min - margin);
                chart.getStyler().setYAxisMax(max + margin);
                grid.add(chart);
            }
        }
        return grid;
    }

    /**
     * A grid of pictures with a caption each, like the tutorial's matplotlib subplots. Each picture
     * is enlarged {@code scale} times without smoothing, so the pixels stay visible.
     */
    public static List<XYChart> imageGrid(List<BufferedImage> images, List<String> captions, int scale) {
        return imageGrid(images, captions, null, scale);
    }

    /** As above, each caption in its colour ({@code colours} may be null: black). */
    public static List<XYChart> imageGrid(List<BufferedImage> images, List<String> captions, List<Color> colours, int scale) {
        List<XYChart> tiles = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            BufferedImage picture = enlarge(images.get(i), scale);
            XYChart tile = new XYChartBuilder().width(picture.getWidth() + 24).height(picture.getHeight() + 48)
                    .title(captions.get(i)).build();
            var styler = tile.getStyler();
            styler.setLegendVisible(false);
            styler.setAxisTicksVisible(false);
            styler.setAxisTitlesVisible(false);
            styler.setPlotGridLinesVisible(false);
            styler.setPlotBorderVisible(false);
            styler.setChartTitleBoxVisible(false);
            styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            if (colours != null) styler.setChartFontColor(colours.get(i));
            styler.setChartBackgroundColor(Color.WHITE);
            styler.setPlotBackgroundColor(Color.WHITE);
            styler.setXAxisMin(0.0);
            styler.setXAxisMax(1.0);
            styler.setYAxisMin(0.0);
            styler.setYAxisMax(1.0);
            // An invisible series fixes the axes, so the picture can sit at the plot's centre.
            XYSeries frame = tile.addSeries("frame", new double[] {0, 1}, new double[] {0, 1});
            frame.setMarker(SeriesMarkers.NONE);
            frame.setLineColor(new Color(0, 0, 0, 0));
            tile.addAnnotation(new AnnotationImage(picture, 0.5, 0.5, false));
            tiles.add(tile);
        }
        return tiles;
    }

    /** The first {@code count} images of a set, captioned with their class names. */
    public static List<XYChart> samples(LabeledImages images, int count, int scale) {
        List<BufferedImage> pictures = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < Math.min(count, images.size()); i++) {
            pictures.add(images.toImage(i));
            captions.add(images.classNames().get(images.label(i)));
        }
        return imageGrid(pictures, captions, scale);
    }

    private static BufferedImage enlarge(BufferedImage image, int scale) {
        BufferedImage large = new BufferedImage(image.getWidth() * scale, image.getHeight() * scale, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = large.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(image, 0, 0, large.getWidth(), large.getHeight(), null);
        g.dispose();
        return large;
    }

    public static Path save(Chart<?, ?> chart, Path file) {
        return written(AtomicFiles.write(file, temporary -> ChartEncoder.saveChart(chart, temporary.toString(), "png")));
    }

    /** A picture's most likely classes as bars of probability, 0 to 1, named in the legend. */
    public static CategoryChart probabilities(List<String> classes, List<Double> probabilities, int width, int height) {
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title("").build();
        var styler = chart.getStyler();
        styler.setLegendPosition(LegendPosition.InsideNE);
        styler.setYAxisMin(0.0);
        styler.setYAxisMax(1.15); // room for the legend above a bar of 1
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridVerticalLinesVisible(false);
        styler.setXAxisTicksVisible(false);
        styler.setLabelsVisible(true);
        styler.setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setDecimalPattern("0.00");
        // One series a class, so that each bar's class name sits in the legend, however long.
        for (int k = 0; k < classes.size(); k++) {
            chart.addSeries(classes.get(k), List.of(" "), List.of(probabilities.get(k)));
        }
        return chart;
    }

    /** One bar a run, its value written above it: {@code values} in {@code unit} (lesson 12's ablation). */
    public static CategoryChart bars(String title, List<String> runs, List<Double> values, String unit, String pattern) {
        CategoryChart chart = new CategoryChartBuilder().width(640).height(480).title(title).yAxisTitle(unit).build();
        var styler = chart.getStyler();
        styler.setLegendVisible(false);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridVerticalLinesVisible(false);
        styler.setYAxisMin(0.0);
        styler.setLabelsVisible(true);
        styler.setDecimalPattern(pattern);
        styler.setXAxisLabelRotation(90);
        styler.setXAxisTickMarkSpacingHint(10); // every run's name, not every other one
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        chart.addSeries(title, runs, values);
        return chart;
    }

    /**
     * A confusion matrix as a heat map: row = true class, column = predicted class, the colour and the
     * number in each cell the count (or, with {@code normalised}, the row's share).
     */
    public static HeatMapChart confusion(int[][] counts, List<String> classes, boolean normalised) {
        HeatMapChart chart = new HeatMapChartBuilder().width(860).height(760)
                .title(normalised ? "Share of each true class (rows sum to 1)" : "Test images, true class x predicted class")
                .xAxisTitle("predicted").yAxisTitle("true").build();
        var styler = chart.getStyler();
        styler.setShowValue(true);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        styler.setXAxisLabelRotation(45);
        styler.setXAxisTickMarkSpacingHint(20); // a label for every class, not every other one
        styler.setYAxisTickMarkSpacingHint(20);
        styler.setRangeColors(new Color[] {new Color(247, 251, 255), new Color(107, 174, 214), new Color(8, 48, 107)});
        styler.setHeatMapValueDecimalPattern(normalised ? "0.00" : "0");
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < counts.length; t++) {
            int total = java.util.Arrays.stream(counts[t]).sum();
            for (int p = 0; p < counts.length; p++) {
                double value = normalised ? (total == 0 ? 0 : counts[t][p] / (double) total) : counts[t][p];
                // The chart's y axis runs upwards: the first class goes on top.
                cells.add(new Number[] {p, counts.length - 1 - t, normalised ? Math.round(value * 100) / 100.0 : value});
            }
        }
        List<String> upwards = new ArrayList<>(classes);
        java.util.Collections.reverse(upwards);
        chart.addSeries("confusion", classes, upwards, cells);
        return chart;
    }

    /**
     * A network's shapes as a row of squares, each as wide as its picture is high, captioned with
     * height x width x channels: the pictures shrink while the channels grow.
     */
    public static Path saveShapes(List<String> captions, List<Integer> sides, Path file) {
        int scale = 5;
        int width = 80;
        for (int side : sides) width += side * scale + 40;
        int height = sides.stream().mapToInt(side -> side).max().orElse(1) * scale + 90;
        BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int x = 30;
        int base = height - 50;
        for (int i = 0; i < sides.size(); i++) {
            int size = sides.get(i) * scale;
            String kind = captions.get(i).split("\\n")[0];
            g.setColor(kind.equals("conv") ? TRAINING : kind.equals("pool") ? VALIDATION : Color.GRAY);
            g.fillRect(x, base - size, size, size);
            g.setColor(Color.BLACK);
            for (String line : captions.get(i).split("\n")) {
                g.drawString(line, x, base + 18 + 14 * List.of(captions.get(i).split("\n")).indexOf(line));
            }
            x += size + 40;
        }
        g.dispose();
        return written(AtomicFiles.write(file, temporary -> javax.imageio.ImageIO.write(picture, "png", temporary.toFile())));
    }

    /** Saves {@code charts} tiled row by row in a grid of {@code rows} x {@code columns}, as one PNG. */
    public static Path saveGrid(List<? extends Chart<?, ?>> charts, int rows, int columns, Path file) {
        return written(AtomicFiles.write(file, temporary -> BitmapEncoder.saveBitmap(charts, rows, columns, temporary.toString(), BitmapFormat.PNG)));
    }

    /** The figures this program has written, in order: what {@code --show} opens when the script ends. */
    private static final List<Path> WRITTEN = new CopyOnWriteArrayList<>();

    private static Path written(Path file) {
        WRITTEN.add(file);
        return file;
    }

    /** The figures written so far. */
    public static List<Path> written() {
        return List.copyOf(WRITTEN);
    }

    /** Forgets the figures written so far: a script's --show opens only its own. */
    public static void forgetWritten() {
        WRITTEN.clear();
    }

    /**
     * {@code --show}: opens the figures the script wrote in one window, a tab each, and waits until it
     * is closed. Without a display it says so in one line; a script that drew nothing opens nothing.
     */
    public static void showWritten(java.io.PrintWriter err) {
        if (WRITTEN.isEmpty()) return;
        if (GraphicsEnvironment.isHeadless()) {
            err.println("--show: no display here, so only the PNG files were written");
            return;
        }
        CountDownLatch closed = new CountDownLatch(1);
        javax.swing.SwingUtilities.invokeLater(() -> {
            JTabbedPane tabs = new JTabbedPane();
            for (Path file : WRITTEN) {
                tabs.addTab(file.getFileName().toString(), new JScrollPane(new JLabel(new ImageIcon(file.toString()))));
            }
            JFrame frame = new JFrame(WRITTEN.size() == 1 ? WRITTEN.get(0).toString() : WRITTEN.get(0).getParent().toString());
            frame.setDefaultCloseOperation(JFrame.DISPOSE_ON_CLOSE);
            frame.addWindowListener(new WindowAdapter() {
                @Override
                public void windowClosed(WindowEvent e) {
                    closed.countDown();
                }
            });
            frame.add(tabs);
            frame.pack();
            frame.setVisible(true);
        });
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
