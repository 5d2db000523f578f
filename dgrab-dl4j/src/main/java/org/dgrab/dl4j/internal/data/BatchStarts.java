package org.dgrab.dl4j.internal.data;

/**
 * The source batches of a source that knows all its examples, as the index of every batch's first example: their
 * sizes, the largest, and whether they differ (a shorter last batch does not count).
 *
 * @param starts first example of every batch, increasing
 * @param total  number of examples
 */
record BatchStarts(int[] starts, int total) {

    /**
     * @param b batch index
     * @return its number of examples
     */
    int length(int b) {
        int to = b + 1 < starts.length ? starts[b + 1] : total;
        return to - starts[b];
    }

    /** @return examples in the largest batch */
    int largest() {
        int max = 0;
        for (int b = 0; b < starts.length; b++) {
            max = Math.max(max, length(b));
        }
        return max;
    }

    /** @return true if batches differ in size, other than a shorter last one */
    boolean uneven() {
        for (int b = 1; b < starts.length - 1; b++) {
            if (length(b) != length(0)) {
                return true;
            }
        }
        return starts.length > 1 && length(starts.length - 1) > length(0);
    }
}
