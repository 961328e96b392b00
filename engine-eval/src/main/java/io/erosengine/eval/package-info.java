/**
 * The recall evaluation: a data set the project writes itself ({@link io.erosengine.eval.DatasetGenerator},
 * committed as {@code eval/recall-v1.json}) of multi-session conversations with questions whose evidence
 * turns are annotated, and {@link io.erosengine.eval.EvalRecall}, which writes every turn as a memory through
 * {@code MemoryStore.mergeOrInsert}, asks every question through each {@link io.erosengine.eval.Retriever}
 * and prints R@1/R@5/R@10 per question category side by side.
 */
package io.erosengine.eval;
