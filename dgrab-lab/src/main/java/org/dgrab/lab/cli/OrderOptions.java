package org.dgrab.lab.cli;

import java.util.ArrayList;
import java.util.List;

import org.dgrab.core.OrderingConfig;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --orders} option of commands that compare orderings: a comma-separated list of ordering names
 * ({@link OrderingConfig.Kind#parse}, aliases accepted), in the order results are reported. Use as a picocli
 * mixin: {@code @Mixin OrderOptions orders;}.
 */
public final class OrderOptions {

    /** The orderings compared when {@code --orders} is not given: the four of the CD-GraB paper's experiments. */
    public static final String DEFAULT_ORDERS = "cd-grab,d-rr,id-grab-mean,id-grab-pair";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--orders", paramLabel = "ORDER", split = ",", defaultValue = DEFAULT_ORDERS,
            converter = KindConverter.class,
            description = {"Orderings to compare, comma-separated, reported in this order (default: ${DEFAULT-VALUE}).",
                    "Valid: cd-grab, cd-grab-recursive, d-rr, id-grab-mean, id-grab-pair, shuffle-once, fixed "
                            + "(aliases: rr, grab, mean-balance, pair-balance, pair-recursive)."})
    private List<OrderingConfig.Kind> orders;

    /** Used by picocli. */
    public OrderOptions() {
    }

    /**
     * The chosen orderings.
     *
     * @return the orderings, in the order given, without repeats
     * @throws ParameterException if an ordering is listed twice (perhaps under an alias)
     */
    public List<OrderingConfig.Kind> kinds() {
        List<OrderingConfig.Kind> seen = new ArrayList<>();
        for (OrderingConfig.Kind k : orders) {
            if (seen.contains(k)) {
                // Two names may be aliases of one ordering (grab, id-grab-mean); results are keyed by the ordering.
                throw new ParameterException(mixee.commandLine(), "Invalid value for option '--orders': "
                        + k.id() + " is listed twice (aliases count as the same ordering)");
            }
            seen.add(k);
        }
        return List.copyOf(seen);
    }

    /** @return true if {@code --orders} was given on the command line (false: the default list applies) */
    public boolean given() {
        return mixee.commandLine().getParseResult().hasMatchedOption("--orders");
    }

    /** Converts one ordering name, with the list of valid names in the error. */
    public static final class KindConverter implements ITypeConverter<OrderingConfig.Kind> {
        /** Used by picocli. */
        public KindConverter() {
        }

        @Override
        public OrderingConfig.Kind convert(String value) {
            if (value.isBlank()) {
                throw new TypeConversionException("empty ordering name (check for stray commas)");
            }
            try {
                return OrderingConfig.Kind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
