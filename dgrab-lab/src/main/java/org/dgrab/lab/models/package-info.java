/**
 * Network definitions used by the examples and benchmarks.
 */
package org.dgrab.lab.models;
