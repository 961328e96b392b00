/**
 * Six-axis affinity: appraisal rules, the EMA toward a clamped target, gift pushes with caps, lazy
 * time decay, relationship labels and mood directives for the prompt.
 */
package io.erosengine.core.affinity;
