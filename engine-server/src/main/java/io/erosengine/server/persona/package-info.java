/**
 * Persona files: one JSON file per persona, read and validated by
 * {@link io.erosengine.server.persona.PersonaFiles} for the {@code seed-personas} command and the
 * zero-configuration start; and Character Cards (chara_card_v2 / v3, JSON or PNG), read into
 * personas and written from them by {@link io.erosengine.server.persona.CharacterCards}.
 */
package io.erosengine.server.persona;
