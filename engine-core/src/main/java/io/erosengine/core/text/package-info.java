/** The text policy: what counts as blank, which characters are refused, and the length limits' rule. */
package io.erosengine.core.text;
