/** Prompt assembly: the persona's sections in order, each within a token budget, then history and the new message. */
package io.erosengine.core.prompt;
