package org.dgrab.lab.data;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.bytedeco.opencv.opencv_core.Mat;
import org.datavec.image.data.ImageWritable;
import org.datavec.image.transform.BaseImageTransform;
import org.datavec.image.transform.BoxImageTransform;
import org.datavec.image.transform.CropImageTransform;
import org.datavec.image.transform.FlipImageTransform;
import org.datavec.image.transform.ImageTransform;

/**
 * The random augmentation of {@code ./dgrab cifar10 --images DIR --augment flip,crop}, the standard one of CIFAR-10
 * training: {@code flip} mirrors an image left-right with probability 1/2 (DataVec's {@link FlipImageTransform},
 * flip code 1), {@code crop} pads it with black by {@code p} pixels on every side ({@link BoxImageTransform}) and cuts
 * an image of the original size back out at a uniformly random offset ({@link CropImageTransform}), a random shift by up
 * to {@code p} pixels in each direction; {@code p} is an eighth of the smaller side, rounded (4 for 28x28 and
 * 32x32), at least 1.
 *
 * <p>The random choices come from one {@code java.util.Random} per transform, seeded with the run's seed, and not from
 * DataVec's {@code PipelineImageTransform} or {@code RandomCropTransform}: those draw from ND4J's random generator of
 * the thread that built them and re-seed it, which would couple the augmentation to the network's own randomness and
 * to the thread that loads the images. With one seeded generator the same run reads the same augmented images.
 */
public final class ImageAugmentation {

    /** One augmentation, by its {@code --augment} name. */
    public enum Kind {
        /** Random horizontal flip. */
        FLIP("flip"),
        /** Random crop with padding back to size. */
        CROP("crop");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** @return the command-line name */
        public String id() {
            return id;
        }
    }

    private final Set<Kind> kinds;

    private ImageAugmentation(Set<Kind> kinds) {
        this.kinds = kinds;
    }

    /**
     * Parses {@code --augment}'s list.
     *
     * @param names augmentation names ({@code flip}, {@code crop}) or the single name {@code none}; empty for none
     * @return the augmentation
     * @throws IllegalArgumentException naming an unknown or repeated name and the valid ones
     */
    public static ImageAugmentation parse(List<String> names) {
        EnumSet<Kind> kinds = EnumSet.noneOf(Kind.class);
        if (names.size() == 1 && names.get(0).trim().equalsIgnoreCase("none")) {
            return new ImageAugmentation(kinds);
        }
        for (String n : names) {
            String id = n.trim().toLowerCase(Locale.ROOT);
            Kind k = null;
            for (Kind c : Kind.values()) {
                if (c.id.equals(id)) {
                    k = c;
                }
            }
            if (k == null) {
                throw new IllegalArgumentException("unknown augmentation '" + n + "'; valid: flip, crop (a comma "
                        + "list) or none");
            }
            if (!kinds.add(k)) {
                throw new IllegalArgumentException(k.id + " is listed twice; give each augmentation once");
            }
        }
        return new ImageAugmentation(kinds);
    }

    /** @return whether there is nothing to do */
    public boolean isNone() {
        return kinds.isEmpty();
    }

    /** @return the chosen augmentations in {@code --augment}'s syntax, {@code none} if none */
    public String id() {
        return kinds.isEmpty() ? "none" : kinds.stream().map(Kind::id).collect(Collectors.joining(","));
    }

    /**
     * The padding of {@code crop} for an image size.
     *
     * @param height image height
     * @param width  image width
     * @return pixels of padding on every side
     */
    public static int padding(int height, int width) {
        return Math.max(1, Math.round(Math.min(height, width) / 8f));
    }

    /**
     * A fresh transform for one run; it draws its random choices from {@code new Random(seed)}. Not thread-safe
     * (DataVec's transforms are not either): one reader, one thread.
     *
     * @param seed   the run's seed
     * @param height the images' height
     * @param width  the images' width
     * @return the transform, or null for none
     */
    public ImageTransform transform(long seed, int height, int width) {
        return isNone() ? null : new Transform(new Random(seed), kinds.contains(Kind.FLIP), kinds.contains(Kind.CROP)
                ? padding(height, width) : 0, height, width);
    }

    /** Flip and/or pad-and-crop, each random choice drawn from the transform's own generator. */
    private static final class Transform extends BaseImageTransform<Mat> {
        private final FlipImageTransform mirror = new FlipImageTransform(1);
        private final BoxImageTransform pad;
        /** {@code crops[top][left]}: cuts the original size out of the padded image at that offset. */
        private final CropImageTransform[][] crops;
        private final boolean flip;
        private final int padding;

        Transform(Random random, boolean flip, int padding, int height, int width) {
            super(random);
            this.flip = flip;
            this.padding = padding;
            this.pad = padding > 0 ? new BoxImageTransform(width + 2 * padding, height + 2 * padding) : null;
            this.crops = new CropImageTransform[2 * padding + 1][2 * padding + 1];
            for (int top = 0; top <= 2 * padding; top++) {
                for (int left = 0; left <= 2 * padding; left++) {
                    crops[top][left] = new CropImageTransform(top, left, 2 * padding - top, 2 * padding - left);
                }
            }
        }

        @Override
        protected ImageWritable doTransform(ImageWritable image, Random random) {
            if (image == null) {
                return null;
            }
            ImageWritable out = image;
            if (flip && random.nextBoolean()) {
                out = mirror.transform(out);
            }
            if (padding > 0) {
                int top = random.nextInt(2 * padding + 1);
                int left = random.nextInt(2 * padding + 1);
                out = crops[top][left].transform(pad.transform(out));
            }
            return out;
        }
    }
}
