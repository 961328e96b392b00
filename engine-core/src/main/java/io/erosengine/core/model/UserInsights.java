package io.erosengine.core.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A typed profile of the user, extracted after turns and merged field by field: a new non-empty
 * scalar replaces the old one, lists are unioned (order kept, case-insensitive duplicates dropped).
 * Null or blank means unknown.
 */
public record UserInsights(
        String city,
        String occupation,
        List<String> interests,
        List<String> personalityTraits,
        String emotionalNeeds,
        String lifeRhythm,
        String loveValues,
        String mbtiGuess) {

    /** Nothing known. */
    public static final UserInsights EMPTY = new UserInsights(null, null, List.of(), List.of(), null, null, null, null);

    public UserInsights {
        interests = Checks.listOf(interests);
        personalityTraits = Checks.listOf(personalityTraits);
    }

    /** Field-wise merge: {@code newer}'s non-blank scalars win, lists are unioned. */
    public UserInsights merge(UserInsights newer) {
        return new UserInsights(
                pick(city, newer.city), pick(occupation, newer.occupation),
                union(interests, newer.interests), union(personalityTraits, newer.personalityTraits),
                pick(emotionalNeeds, newer.emotionalNeeds), pick(lifeRhythm, newer.lifeRhythm),
                pick(loveValues, newer.loveValues), pick(mbtiGuess, newer.mbtiGuess));
    }

    /** True when no field is known. */
    public boolean isEmpty() { return EMPTY.merge(this).equals(EMPTY); }

    private static String pick(String old, String newer) {
        return newer != null && !newer.isBlank() ? newer.trim() : old;
    }

    private static List<String> union(List<String> a, List<String> b) {
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        List<String> out = new ArrayList<>();
        for (List<String> list : List.of(a, b)) {
            for (String s : list) {
                if (s == null || s.isBlank()) continue;
                if (seen.add(s.trim().toLowerCase(java.util.Locale.ROOT))) out.add(s.trim());
            }
        }
        return List.copyOf(out);
    }
}
