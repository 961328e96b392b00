/**
 * eros-engine's pure core: the domain of a companion (affinity, ghost decision, Persona Decision
 * Engine, memory policy, prompt assembly) and the ports the outer modules implement. No I/O, no
 * system clock, no randomness that was not handed in; the JDK is the only dependency.
 */
package io.erosengine.core;
