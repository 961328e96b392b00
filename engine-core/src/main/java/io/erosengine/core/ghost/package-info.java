/** The ghost decision: when the persona chooses not to reply, with its four protections. */
package io.erosengine.core.ghost;
