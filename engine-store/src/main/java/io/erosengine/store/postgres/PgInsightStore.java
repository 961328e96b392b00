package io.erosengine.store.postgres;

import io.erosengine.core.model.UserId;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.port.InsightStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** User insights in engine.user_insights; merge is a read-modify-write under a row lock. */
final class PgInsightStore implements InsightStore {
    private final Pg pg;

    PgInsightStore(Pg pg) { this.pg = pg; }

    @Override
    public UserInsights load(UserId userId) {
        return pg.call(h -> select(h, userId, "")).orElse(UserInsights.EMPTY);
    }

    @Override
    public UserInsights merge(UserId userId, UserInsights update, Instant now) {
        return pg.tx(h -> {
            h.createUpdate("""
                    INSERT INTO engine.user_insights (user_id, updated_at) VALUES (:u, :now)
                    ON CONFLICT (user_id) DO NOTHING""")
                    .bind("u", userId.value()).bind("now", Pg.ts(now)).execute();
            UserInsights merged = select(h, userId, " FOR UPDATE").orElseThrow().merge(update);
            h.createUpdate("""
                    UPDATE engine.user_insights SET city = :city, occupation = :occupation,
                        interests = CAST(:interests AS jsonb), personality_traits = CAST(:traits AS jsonb),
                        emotional_needs = :needs, life_rhythm = :rhythm, love_values = :love, mbti_guess = :mbti,
                        location = :location, hometown = :hometown, nationality = :nationality,
                        education = :education, family = :family, relationship_history = :relationships,
                        social_pattern = :social, future_plans = :plans, finance_status = :finance,
                        preferred_gender = :gender, age_min = :ageMin, age_max = :ageMax,
                        deal_breakers = CAST(:dealBreakers AS jsonb), updated_at = :now
                    WHERE user_id = :u""")
                    .bind("city", merged.city()).bind("occupation", merged.occupation())
                    .bind("interests", Pg.json(merged.interests())).bind("traits", Pg.json(merged.personalityTraits()))
                    .bind("needs", merged.emotionalNeeds()).bind("rhythm", merged.lifeRhythm())
                    .bind("love", merged.loveValues()).bind("mbti", merged.mbtiGuess())
                    .bind("location", merged.location()).bind("hometown", merged.hometown())
                    .bind("nationality", merged.nationality()).bind("education", merged.education())
                    .bind("family", merged.family()).bind("relationships", merged.relationshipHistory())
                    .bind("social", merged.socialPattern()).bind("plans", merged.futurePlans())
                    .bind("finance", merged.financeStatus()).bind("gender", merged.preferredGender())
                    .bind("ageMin", merged.ageMin()).bind("ageMax", merged.ageMax())
                    .bind("dealBreakers", Pg.json(merged.dealBreakers()))
                    .bind("now", Pg.ts(now)).bind("u", userId.value()).execute();
            return merged;
        });
    }

    private static Optional<UserInsights> select(Handle h, UserId userId, String lock) {
        return h.createQuery("SELECT * FROM engine.user_insights WHERE user_id = :u" + lock)
                .bind("u", userId.value()).map((rs, ctx) -> read(rs)).findOne();
    }

    private static UserInsights read(ResultSet rs) throws SQLException {
        return new UserInsights(rs.getString("city"), rs.getString("occupation"),
                Pg.stringList(rs.getString("interests")), Pg.stringList(rs.getString("personality_traits")),
                rs.getString("emotional_needs"), rs.getString("life_rhythm"), rs.getString("love_values"),
                rs.getString("mbti_guess"), rs.getString("location"), rs.getString("hometown"),
                rs.getString("nationality"), rs.getString("education"), rs.getString("family"),
                rs.getString("relationship_history"), rs.getString("social_pattern"), rs.getString("future_plans"),
                rs.getString("finance_status"), rs.getString("preferred_gender"), Pg.nullableInt(rs, "age_min"),
                Pg.nullableInt(rs, "age_max"), Pg.stringList(rs.getString("deal_breakers")));
    }
}
