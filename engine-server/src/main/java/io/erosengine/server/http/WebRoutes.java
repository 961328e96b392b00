package io.erosengine.server.http;

import io.erosengine.core.affinity.Axis;
import io.erosengine.core.affinity.GiftCatalog;
import io.erosengine.core.model.MemoryId;
import io.erosengine.server.engine.CompanionEngine;
import io.javalin.http.Context;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code /comp/*} routes the web page needs beyond {@link CompRoutes}: the gift catalog
 * ({@code GET /comp/gifts}) and hiding a memory ({@code POST /comp/memories/{id}/hide}, a soft
 * delete: the row stays stored but is no longer listed or recalled).
 */
public final class WebRoutes {
    private final CompanionEngine engine;
    private final GiftCatalog catalog;

    private WebRoutes(CompanionEngine engine, GiftCatalog catalog) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /**
     * The routes over {@code engine}.
     *
     * @param catalog the gifts the engine was built with (the same catalog prices the pushes)
     */
    public static List<Route> routes(CompanionEngine engine, GiftCatalog catalog) {
        WebRoutes r = new WebRoutes(engine, catalog);
        return List.of(
                Route.get("/comp/gifts", r::gifts),
                Route.post("/comp/memories/{id}/hide", r::hide));
    }

    private void gifts(Context ctx) {
        Requests.user(ctx);
        List<Map<String, Object>> gifts = catalog.entries().values().stream()
                .sorted(Comparator.comparingDouble(GiftCatalog.Entry::referenceValue).thenComparing(GiftCatalog.Entry::id))
                .map(WebRoutes::gift).toList();
        ctx.json(Map.of("gifts", gifts));
    }

    private void hide(Context ctx) {
        engine.deleteMemory(Requests.user(ctx), new MemoryId(Requests.uuidPath(ctx, "id")));
        ctx.status(204);
    }

    private static Map<String, Object> gift(GiftCatalog.Entry e) {
        Map<String, Object> pushes = new LinkedHashMap<>();
        for (Axis axis : Axis.values()) pushes.put(axis.wireName(), e.pushes().get(axis));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id());
        out.put("label", e.label());
        out.put("reference_value", e.referenceValue());
        out.put("pushes", pushes);
        return out;
    }
}
