/**
 * Diagnostics that stand outside the algorithms: herding bounds of orders and the paper's random-vector
 * simulation. Strategies never compute these themselves.
 */
package org.dgrab.core.diagnostics;
