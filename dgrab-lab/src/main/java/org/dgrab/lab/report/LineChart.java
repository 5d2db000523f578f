package org.dgrab.lab.report;

import java.awt.BasicStroke;
import java.awt.Color;
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
 *
 * A series may carry a band (e.g. the minimum and maximum over seeds around a mean line), drawn as a translucent
 * area in the line's colour. Series get colours from a fixed palette in the order they are added, so charts with
 * the same series in the same order colour them alike; {@link #writePanels(OutputStream, LineChart...)} puts several
 * charts of one size side by side into one image.
 */
public final class LineChart {
    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final List<String> names = new ArrayList<>();
    private final List<double[]> xs = new ArrayList<>();
    private final List<double[]> ys = new ArrayList<>();
    private final List<double[]> los = new ArrayList<>();
    private final List<double[]> his = new ArrayList<>();
    private boolean logY;
    private boolean integerX;
    private int width = 900;
    private int height = 560;

    /** Line colours, in the order series are added (Tableau 10, readable on white and for most colour vision). */
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
            new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};
    /** Opacity of band fills, out of 255: light enough that overlapping bands and lines stay visible. */
    private static final int BAND_ALPHA = 48;

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
     * Logarithmic y axis. Every y value must then be positive (or NaN, a missing point), checked when rendering.
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
        return series(name, x, y, null, null);
    }

    /**
     * Adds a line with a band around it, e.g. the mean over seeds between their minimum and maximum.
     *
     * @param name legend entry, unique
     * @param x    x values
     * @param y    y values (the line), as many as x values
     * @param lo   lower edge of the band at each x, or null for no band
     * @param hi   upper edge of the band at each x, or null for no band (both or neither)
     * @return this
     */
    public LineChart series(String name, double[] x, double[] y, double[] lo, double[] hi) {
        if (x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException("series " + name + " needs as many x as y values, at least one; got "
                    + x.length + " and " + y.length);
        }
        if ((lo == null) != (hi == null)) {
            throw new IllegalArgumentException("series " + name + ": a band needs both edges");
        }
        if (lo != null && (lo.length != x.length || hi.length != x.length)) {
            throw new IllegalArgumentException("series " + name + ": band edges need " + x.length + " values each, got "
                    + lo.length + " and " + hi.length);
        }
        if (names.contains(name)) {
            throw new IllegalArgumentException("series " + name + " is already in the chart");
        }
        names.add(name);
        xs.add(x.clone());
        ys.add(y.clone());
        los.add(lo == null ? null : lo.clone());
        his.add(hi == null ? null : hi.clone());
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
        XYChart chart = build();
        try {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        } catch (RuntimeException | LinkageError | InternalError e) {
            throw renderError(title, e);
        }
    }

    /**
     * Renders several charts side by side into one PNG file; see {@link #writePanels(OutputStream, LineChart...)}.
     *
     * @param file   destination
     * @param charts the panels, at least one
     * @throws IOException if writing fails or the JVM cannot render text (no fonts)
     */
    public static void writePanels(Path file, LineChart... charts) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            writePanels(out, charts);
        }
    }

    /**
     * Renders several charts side by side, left to right, into one PNG with XChart's own multi-chart writer
     * ({@link BitmapEncoder#saveBitmap(List, Integer, Integer, OutputStream, BitmapEncoder.BitmapFormat)}), which
     * lays the charts out on a grid of equal cells: every panel must have the same size.
     *
     * @param out    sink; not closed
     * @param charts the panels, at least one, all of one size
     * @throws IOException if writing fails or the JVM cannot render text (no fonts)
     * @throws IllegalArgumentException without charts or for panels of different sizes
     * @throws IllegalStateException if a panel has no series or a non-positive value on a log axis
     */
    public static void writePanels(OutputStream out, LineChart... charts) throws IOException {
        if (charts.length == 0) {
            throw new IllegalArgumentException("no charts to draw");
        }
        List<XYChart> built = new ArrayList<>();
        for (LineChart c : charts) {
            if (c.width != charts[0].width || c.height != charts[0].height) {
                throw new IllegalArgumentException("panel '" + c.title + "' is " + c.width + "x" + c.height
                        + " pixels, panel '" + charts[0].title + "' " + charts[0].width + "x" + charts[0].height
                        + "; panels of one image need one size");
            }
            built.add(c.build());
        }
        try {
            BitmapEncoder.saveBitmap(built, 1, built.size(), out, BitmapEncoder.BitmapFormat.PNG);
        } catch (RuntimeException | LinkageError | InternalError e) {
            throw renderError(charts[0].title, e);
        }
    }

    /** Builds the XChart chart (checked and styled), ready to render. */
    private XYChart build() throws IOException {
        if (names.isEmpty()) {
            throw new IllegalStateException("chart '" + title + "' has no series");
        }
        if (logY) {
            for (int i = 0; i < names.size(); i++) {
                for (double[] values : new double[][] {ys.get(i), los.get(i), his.get(i)}) {
                    if (values == null) {
                        continue;
                    }
                    for (double v : values) {
                        // NaN marks a missing point (left out of the line), not a value.
                        if (!Double.isNaN(v) && (!(v > 0) || Double.isInfinite(v))) {
                            throw new IllegalStateException("series " + names.get(i) + " has the value " + v
                                    + ", which a logarithmic axis cannot show");
                        }
                    }
                }
            }
        }
        headless();
        try {
            XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                    .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
            chart.getStyler().setYAxisLogarithmic(logY);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            chart.getStyler().setChartBackgroundColor(Color.WHITE);
            chart.getStyler().setMarkerSize(7);
            if (integerX) {
                chart.getStyler().setXAxisDecimalPattern("0");
            }
            // Bands first, so that every line is drawn on top of every band.
            for (int i = 0; i < names.size(); i++) {
                if (los.get(i) != null) {
                    addBand(chart, names.get(i), xs.get(i), los.get(i), his.get(i), PALETTE[i % PALETTE.length]);
                }
            }
            for (int i = 0; i < names.size(); i++) {
                XYSeries s = chart.addSeries(names.get(i), xs.get(i), ys.get(i));
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setLineColor(PALETTE[i % PALETTE.length]);
                s.setMarkerColor(PALETTE[i % PALETTE.length]);
            }
            return chart;
        } catch (RuntimeException | LinkageError | InternalError e) {
            throw renderError(title, e);
        }
    }

    /** A closed polygon: along the upper edge left to right, back along the lower edge. */
    private static void addBand(XYChart chart, String name, double[] x, double[] lo, double[] hi, Color color) {
        int n = x.length;
        double[] px = new double[2 * n];
        double[] py = new double[2 * n];
        for (int i = 0; i < n; i++) {
            px[i] = x[i];
            py[i] = hi[i];
            px[2 * n - 1 - i] = x[i];
            py[2 * n - 1 - i] = lo[i];
        }
        Color translucent = new Color(color.getRed(), color.getGreen(), color.getBlue(), BAND_ALPHA);
        XYSeries band = chart.addSeries(name + " (band)", px, py);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setMarker(SeriesMarkers.NONE);
        band.setFillColor(translucent);
        band.setLineColor(translucent);
        band.setLineStyle(new BasicStroke(0.5f));
        band.setShowInLegend(false);
    }

    private static IOException renderError(String title, Throwable e) {
        // AWT's font set-up fails with unchecked errors when fontconfig or fonts are missing; say so.
        return new IOException("cannot render chart '" + title + "': " + e
                + (fontsAvailable() ? "" : "; the JVM finds no fonts (install fontconfig and a font, e.g. "
                + "apt-get install fontconfig fonts-dejavu-core)"), e);
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
