package io.erosengine.core.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * A typed profile of the user, extracted after turns and merged field by field: a new non-empty
 * scalar replaces the old one, lists are unioned (order kept, case-insensitive duplicates dropped).
 * Null or blank means unknown. The fields follow the original eros-engine's profile.
 *
 * @param location where the user lives now (finer or other than {@code city}, e.g. a region)
 * @param hometown where the user grew up
 * @param preferredGender the gender the user is drawn to, in the user's words
 * @param ageMin the youngest partner age the user mentioned, 0..150
 * @param ageMax the oldest partner age the user mentioned, 0..150, not below {@code ageMin}
 * @param dealBreakers what the user will not accept in a partner
 */
public record UserInsights(
        String city,
        String occupation,
        List<String> interests,
        List<String> personalityTraits,
        String emotionalNeeds,
        String lifeRhythm,
        String loveValues,
        String mbtiGuess,
        String location,
        String hometown,
        String nationality,
        String education,
        String family,
        String relationshipHistory,
        String socialPattern,
        String futurePlans,
        String financeStatus,
        String preferredGender,
        Integer ageMin,
        Integer ageMax,
        List<String> dealBreakers) {

    /** Nothing known. */
    public static final UserInsights EMPTY = new UserInsights(null, null, List.of(), List.of(), null, null, null, null);

    public UserInsights {
        interests = Checks.listOf(interests);
        personalityTraits = Checks.listOf(personalityTraits);
        dealBreakers = Checks.listOf(dealBreakers);
        if (ageMin != null) Checks.requireRange(ageMin, 0, 150, "age_min");
        if (ageMax != null) Checks.requireRange(ageMax, 0, 150, "age_max");
        if (ageMin != null && ageMax != null && ageMin > ageMax) {
            throw new IllegalArgumentException("age_min " + ageMin + " is above age_max " + ageMax);
        }
    }

    /** The first eight fields (the original's early profile); the others unknown. */
    public UserInsights(String city, String occupation, List<String> interests, List<String> personalityTraits,
                        String emotionalNeeds, String lifeRhythm, String loveValues, String mbtiGuess) {
        this(city, occupation, interests, personalityTraits, emotionalNeeds, lifeRhythm, loveValues, mbtiGuess,
                null, null, null, null, null, null, null, null, null, null, null, null, List.of());
    }

    /**
     * Field-wise merge: {@code newer}'s non-blank scalars win, lists are unioned. The age range is
     * taken as a pair (the newer one when it gives either bound), so a merge cannot cross the bounds.
     */
    public UserInsights merge(UserInsights newer) {
        boolean newerAges = newer.ageMin != null || newer.ageMax != null;
        return new UserInsights(
                pick(city, newer.city), pick(occupation, newer.occupation),
                union(interests, newer.interests), union(personalityTraits, newer.personalityTraits),
                pick(emotionalNeeds, newer.emotionalNeeds), pick(lifeRhythm, newer.lifeRhythm),
                pick(loveValues, newer.loveValues), pick(mbtiGuess, newer.mbtiGuess),
                pick(location, newer.location), pick(hometown, newer.hometown), pick(nationality, newer.nationality),
                pick(education, newer.education), pick(family, newer.family),
                pick(relationshipHistory, newer.relationshipHistory), pick(socialPattern, newer.socialPattern),
                pick(futurePlans, newer.futurePlans), pick(financeStatus, newer.financeStatus),
                pick(preferredGender, newer.preferredGender),
                newerAges ? newer.ageMin : ageMin, newerAges ? newer.ageMax : ageMax,
                union(dealBreakers, newer.dealBreakers));
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
                if (seen.add(s.trim().toLowerCase(Locale.ROOT))) out.add(s.trim());
            }
        }
        return List.copyOf(out);
    }
}
