package org.dgrab.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/** Tests {@link LineChart}: bands and side-by-side panels. */
class LineChartTest {

    private static final double[] X = {0, 1, 2, 3};

    @Test
    void panelsAreDrawnSideBySideWithBands() throws IOException {
        assumeTrue(LineChart.fontsAvailable(), "the JVM has no fonts");
        LineChart a = new LineChart("loss", "epoch", "loss").integerX(true).size(400, 300)
                .series("cd-grab", X, new double[] {2, 1, 0.5, 0.4}, new double[] {1.9, 0.9, 0.4, 0.3},
                        new double[] {2.1, 1.1, 0.6, 0.5})
                .series("d-rr", X, new double[] {2, 1.2, Double.NaN, 0.6});
        LineChart b = new LineChart("accuracy", "epoch", "accuracy").size(400, 300)
                .series("cd-grab", X, new double[] {0.1, 0.5, 0.7, 0.8});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineChart.writePanels(out, a, b);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(800, img.getWidth());
        assertEquals(300, img.getHeight());
    }

    @Test
    void rejectsInconsistentBands() {
        LineChart c = new LineChart("t", "x", "y");
        assertThrows(IllegalArgumentException.class, () -> c.series("a", X, X, X, null));
        assertThrows(IllegalArgumentException.class, () -> c.series("a", X, X, new double[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> LineChart.writePanels(new ByteArrayOutputStream()));
        IllegalArgumentException sizes = assertThrows(IllegalArgumentException.class, () -> LineChart.writePanels(
                new ByteArrayOutputStream(), new LineChart("a", "x", "y").series("a", X, X),
                new LineChart("b", "x", "y").size(300, 350).series("b", X, X)));
        assertEquals("panel 'b' is 300x350 pixels, panel 'a' 900x560; panels of one image need one size",
                sizes.getMessage());
        LineChart log = new LineChart("t", "x", "y").logY(true).series("a", X, new double[] {1, 2, 3, 4},
                new double[] {0, 1, 2, 3}, new double[] {2, 3, 4, 5});
        assertThrows(IllegalStateException.class, () -> log.writePng(new ByteArrayOutputStream()),
                "a band edge of 0 on a log axis");
    }
}
