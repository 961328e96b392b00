package io.erosengine.server.http;

import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.port.PersonaStore;
import io.erosengine.server.persona.CardException;
import io.erosengine.server.persona.CharacterCards;
import io.erosengine.server.persona.ImportedCard;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The Character Card routes: {@code POST /comp/personas/import} and
 * {@code GET /comp/personas/{id}/card}.
 *
 * <p>Who may use them: personas are shared by every user, so an imported card is visible to all
 * of them, and an exported card shows a persona's whole definition (system prompt, extensions),
 * which {@code GET /comp/personas} does not. Each route is therefore an operator decision, switched
 * on by {@code CARD_IMPORT_ENABLED} / {@code CARD_EXPORT_ENABLED} and off by default, except in
 * zero-configuration mode (a local signing secret: one operator is every user). Switched off, the
 * route answers 403 to any authenticated caller.
 *
 * <p>Import takes the card as the body: {@code Content-Type: image/png} (at most
 * {@value CharacterCards#MAX_PNG_BYTES} bytes), {@code application/json} (at most
 * {@value CharacterCards#MAX_JSON_BYTES}), or no type (PNG or JSON by the PNG signature); any other
 * type is 415. A bad card is 400, an oversized one 413. The persona is stored by name: a name that
 * already exists is 409 unless {@code ?replace=true}, which replaces that persona (keeping its id).
 * Answers 201 (created) or 200 (replaced) with {@code {persona, spec, warnings, replaced}}.
 *
 * <p>Export answers the V3 card as JSON, or with {@code ?format=png} as a PNG (a placeholder image
 * carrying {@code ccv3} and {@code chara} chunks); 404 for an unknown persona id.
 */
public final class CardRoutes {
    private final PersonaStore personas;
    private final boolean importEnabled;
    private final boolean exportEnabled;

    private CardRoutes(PersonaStore personas, boolean importEnabled, boolean exportEnabled) {
        this.personas = Objects.requireNonNull(personas, "personas");
        this.importEnabled = importEnabled;
        this.exportEnabled = exportEnabled;
    }

    /**
     * The card routes over {@code personas}.
     *
     * @param importEnabled whether {@code POST /comp/personas/import} may store personas (else 403)
     * @param exportEnabled whether {@code GET /comp/personas/{id}/card} may answer (else 403)
     */
    public static List<Route> routes(PersonaStore personas, boolean importEnabled, boolean exportEnabled) {
        CardRoutes r = new CardRoutes(personas, importEnabled, exportEnabled);
        return List.of(
                Route.post("/comp/personas/import", r::importCard),
                Route.get("/comp/personas/{id}/card", r::exportCard));
    }

    private void importCard(Context ctx) {
        Requests.user(ctx);
        if (!importEnabled) throw ApiException.forbidden("card import is switched off on this server (CARD_IMPORT_ENABLED)");
        boolean replace = Requests.boolQuery(ctx, "replace", false);
        String type = mediaType(ctx);
        boolean png = type.equals("image/png");
        if (!png && !type.isEmpty() && !type.equals("application/json")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the card as image/png or application/json");
        }
        byte[] body = Requests.rawBody(ctx, type.equals("application/json") ? CharacterCards.MAX_JSON_BYTES : CharacterCards.MAX_PNG_BYTES);
        if (body.length == 0) throw ApiException.badRequest("a card (PNG or JSON) is required as the body");
        ImportedCard card;
        try {
            card = png ? CharacterCards.fromPng(body) : type.isEmpty() ? CharacterCards.read(body) : CharacterCards.fromJson(body);
        } catch (CardException.TooLarge e) {
            throw ApiException.tooLarge(e.getMessage());
        } catch (CardException.Malformed e) {
            throw ApiException.badRequest(e.getMessage());
        }
        boolean exists = personas.findByName(card.persona().name()).isPresent();
        if (exists && !replace) {
            throw ApiException.conflict("a persona named '" + card.persona().name() + "' exists; add ?replace=true to replace it");
        }
        Persona stored = personas.upsert(card.persona());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("persona", Responses.PersonaJson.of(stored));
        out.put("spec", card.spec());
        out.put("warnings", card.warnings());
        out.put("replaced", exists);
        ctx.status(exists ? 200 : 201).json(out);
    }

    private void exportCard(Context ctx) {
        Requests.user(ctx);
        if (!exportEnabled) throw ApiException.forbidden("card export is switched off on this server (CARD_EXPORT_ENABLED)");
        PersonaId id = new PersonaId(Requests.uuidPath(ctx, "id"));
        String format = ctx.queryParam("format");
        if (format != null && !format.equals("json") && !format.equals("png")) throw ApiException.badRequest("format must be json or png");
        Persona p = personas.find(id).orElseThrow(() -> ApiException.notFound("persona not found"));
        if ("png".equals(format)) {
            ctx.header("Content-Disposition", "attachment; filename=\"" + fileName(p) + ".png\"");
            ctx.contentType("image/png").result(CharacterCards.toPng(p));
        } else {
            ctx.contentType("application/json").result(CharacterCards.toJson(p));
        }
    }

    private static String mediaType(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type == null) return "";
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** The persona's name reduced to a safe file name (ASCII letters, digits, '-' and '_'). */
    private static String fileName(Persona p) {
        String name = p.name().replaceAll("[^A-Za-z0-9_-]+", "_").replaceAll("^_+|_+$", "");
        return name.isEmpty() ? "persona" : name;
    }
}
