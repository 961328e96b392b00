/**
 * Persona files: one JSON file per persona, read and validated by
 * {@link io.erosengine.server.persona.PersonaFiles} for the {@code seed-personas} command and the
 * zero-configuration start.
 */
package io.erosengine.server.persona;
