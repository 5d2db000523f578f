package org.dgrab.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image-folder example on a tiny generated folder in the layout {@code ./dgrab make-images} writes. */
class Cifar10ImagesTest {
    private static final List<String> LABELS = List.of("dark", "grey", "light");

    @Test
    void trainsOnAFolderOfPngsAndLearnsTheLabels(@TempDir Path dir) throws IOException {
        Random random = new Random(7);
        write(dir.resolve("train"), 24, random);
        write(dir.resolve("test"), 8, random);

        Cifar10Images.Result r = Cifar10Images.run(dir.toFile(), 4, 8, 42);

        assertEquals(LABELS, r.labels(), "labels are the folder names, sorted");
        assertEquals(4, r.orderEpochs(), "CD-GraB reordered every epoch net.fit ran");
        // Classes differ in brightness only, which a left-right flip keeps: far above chance (1/3).
        assertTrue(r.accuracy() > 0.7, "accuracy " + r.accuracy());
    }

    /** Writes {@code perLabel} 28x28 grayscale PNGs of random texture per label, class c at brightness ~ c/2. */
    @Test
    void aMissingOrEmptyFolderIsRefusedByName(@TempDir Path dir) throws IOException {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Cifar10Images.run(dir.toFile(), 1, 8, 1));
        assertTrue(missing.getMessage().startsWith(dir.resolve("train") + " is not a folder"), missing.getMessage());
        Files.createDirectories(dir.resolve("train").resolve("cat"));
        Files.createDirectories(dir.resolve("test"));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> Cifar10Images.run(dir.toFile(), 1, 8, 1));
        assertTrue(empty.getMessage().startsWith(dir.resolve("train") + " holds no images"), empty.getMessage());
    }

    private static void write(Path split, int perLabel, Random random) throws IOException {
        for (int c = 0; c < LABELS.size(); c++) {
            Path folder = Files.createDirectories(split.resolve(LABELS.get(c)));
            for (int i = 0; i < perLabel; i++) {
                BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        img.getRaster().setSample(x, y, 0, 30 + 95 * c + random.nextInt(40));
                    }
                }
                ImageIO.write(img, "png", new File(folder.toFile(), i + ".png"));
            }
        }
    }
}
