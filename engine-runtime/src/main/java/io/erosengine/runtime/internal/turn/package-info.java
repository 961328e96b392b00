/**
 * Not API: the synchronous chat turn ({@link io.erosengine.runtime.internal.turn.TurnPipeline}),
 * its in-process guard ({@link io.erosengine.runtime.internal.turn.TurnGate}) and the output
 * abstraction shared by the blocking and the streamed turn.
 */
package io.erosengine.runtime.internal.turn;
