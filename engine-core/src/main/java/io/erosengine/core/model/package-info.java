/**
 * The engine's value types: typed ids, personas, persona instances, sessions, chat messages and
 * user insights. All are immutable records validated in their compact constructors, so an invalid
 * value cannot exist.
 */
package io.erosengine.core.model;
