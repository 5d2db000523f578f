package org.dgrab.examples.report;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line chart with one line per series, saved as PNG with XChart. Runs headless (no display needed); the JVM
 * still needs fonts for the labels (on Debian/Ubuntu: {@code fontconfig} and e.g. {@code fonts-dejavu-core}),
 * which {@link #fontsAvailable()} checks.
 *
 * <pre>{@code
 * new LineChart("Herding bound", "round", "bound").logY(true).series("cd-grab", x, y).writePng(path);
 * }</pre>
 */
public final class LineChart {
    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final List<String> names = new ArrayList<>();
    private final List<double[]> xs = new ArrayList<>();
    private final List<double[]> ys = new ArrayList<>();
    private boolean logY;
    private boolean integerX;
    private int width = 900;
    private int height = 560;

    /**
     * @param title  chart title
     * @param xTitle x axis title
     * @param yTitle y axis title
     */
    public LineChart(String title, String xTitle, String yTitle) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
    }

    /**
     * Logarithmic y axis. Every y value must then be positive, checked when rendering.
     *
     * @param log true for a log axis
     * @return this
     */
    public LineChart logY(boolean log) {
        this.logY = log;
        return this;
    }

    /**
     * Labels the x axis with integers (rounds, epochs) instead of decimals.
     *
     * @param integer true for integer labels
     * @return this
     */
    public LineChart integerX(boolean integer) {
        this.integerX = integer;
        return this;
    }

    /**
     * Image size in pixels.
     *
     * @param w width, {@code >= 100}
     * @param h height, {@code >= 100}
     * @return this
     */
    public LineChart size(int w, int h) {
        if (w < 100 || h < 100) {
            throw new IllegalArgumentException("chart size must be at least 100x100 pixels, got " + w + "x" + h);
        }
        this.width = w;
        this.height = h;
        return this;
    }

    /**
     * Adds a line.
     *
     * @param name legend entry, unique
     * @param x    x values
     * @param y    y values, as many as x values
     * @return this
     */
    public LineChart series(String name, double[] x, double[] y) {
        if (x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException("series " + name + " needs as many x as y values, at least one; got "
                    + x.length + " and " + y.length);
        }
        if (names.contains(name)) {
            throw new IllegalArgumentException("series " + name + " is already in the chart");
        }
        names.add(name);
        xs.add(x.clone());
        ys.add(y.clone());
        return this;
    }

    /**
     * Renders and writes the PNG.
     *
     * @param file destination
     * @throws IOException if writing fails or the JVM cannot render text (no fonts)
     */
    public void writePng(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            writePng(out);
        }
    }

    /**
     * Renders the PNG into a stream.
     *
     * @param out sink; not closed
     * @throws IOException if writing fails or the JVM cannot render text (no fonts)
     * @throws IllegalStateException with no series, or a non-positive value on a log axis
     */
    public void writePng(OutputStream out) throws IOException {
        if (names.isEmpty()) {
            throw new IllegalStateException("chart '" + title + "' has no series");
        }
        if (logY) {
            for (int i = 0; i < names.size(); i++) {
                for (double v : ys.get(i)) {
                    if (!(v > 0) || Double.isInfinite(v)) {
                        throw new IllegalStateException("series " + names.get(i) + " has the value " + v
                                + ", which a logarithmic axis cannot show");
                    }
                }
            }
        }
        headless();
        XYChart chart;
        try {
            chart = new XYChartBuilder().width(width).height(height).title(title)
                    .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
            chart.getStyler().setYAxisLogarithmic(logY);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
            chart.getStyler().setMarkerSize(7);
            if (integerX) {
                chart.getStyler().setXAxisDecimalPattern("0");
            }
            for (int i = 0; i < names.size(); i++) {
                XYSeries s = chart.addSeries(names.get(i), xs.get(i), ys.get(i));
                s.setMarker(SeriesMarkers.CIRCLE);
            }
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        } catch (RuntimeException | LinkageError | InternalError e) {
            // AWT's font set-up fails with unchecked errors when fontconfig or fonts are missing; say so.
            throw new IOException("cannot render chart '" + title + "': " + e
                    + (fontsAvailable() ? "" : "; the JVM finds no fonts (install fontconfig and a font, e.g. "
                    + "apt-get install fontconfig fonts-dejavu-core)"), e);
        }
    }

    /**
     * Whether this JVM can measure text, which chart rendering needs. False on minimal systems without fontconfig
     * or fonts.
     *
     * @return true if text can be rendered
     */
    public static boolean fontsAvailable() {
        headless();
        try {
            Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
            try {
                return g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 12)).stringWidth("dgrab") > 0;
            } finally {
                g.dispose();
            }
        } catch (RuntimeException | LinkageError | InternalError e) {
            return false;
        }
    }

    private static void headless() {
        // A command-line tool must not need a display (ssh sessions, CI); only set it if nobody chose otherwise.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
