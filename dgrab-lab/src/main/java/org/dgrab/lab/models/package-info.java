/**
 * Network definitions used by the lab's commands and benchmarks.
 */
package org.dgrab.lab.models;
