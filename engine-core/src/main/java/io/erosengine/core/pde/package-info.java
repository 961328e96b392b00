/** The Persona Decision Engine: a pure function from an event and the relationship's state to an action plan. */
package io.erosengine.core.pde;
