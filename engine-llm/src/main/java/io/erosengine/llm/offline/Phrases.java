package io.erosengine.llm.offline;

import io.erosengine.core.pde.ReplyStyle;
import java.util.List;

/** The offline companion's phrasings, by reply style; {@link OfflineChatModel} picks one of each list. */
final class Phrases {
    private Phrases() {}

    static List<String> gift(ReplyStyle style, String label) {
        String gift = Character.toUpperCase(label.charAt(0)) + label.substring(1);
        return switch (style) {
            case WARM -> List.of(gift + "? For me? That's so sweet of you, thank you.",
                    "Oh, " + label + "! You just made my whole day, thank you.",
                    "You didn't have to... " + label + " is perfect. Thank you, really.");
            case TSUNDERE -> List.of(gift + "? ...it's not like I wanted one. I'll keep it, though. Thanks, I guess.",
                    "Hmph. " + gift + ". Don't think this changes anything... it's nice, okay?",
                    "W-why would you get me " + label + "? ...I'm not blushing. Thanks.");
            case NEUTRAL -> List.of(gift + ". Thank you; I will keep it somewhere I can see it every day.",
                    "What a thoughtful gift. " + gift + " says more than words.",
                    "Thank you for " + label + ". Simple things are often the best ones.");
            case EXCITED -> List.of(gift + "?! For me? You really know how to spoil me!",
                    "Ooh, " + label + "! I love presents. More of these, please!",
                    "No way, " + label + "! You're the best, you know that?");
            case COLD -> List.of(gift + ". ...thanks.", "Oh. " + gift + ". Okay.");
        };
    }

    static List<String> greeting(ReplyStyle style, String userName) {
        String name = userName == null ? "" : " " + userName;
        String commaName = userName == null ? "" : ", " + userName;
        return switch (style) {
            case WARM -> List.of("Hi" + name + "! It's so good to see you.", "Hello" + commaName + "! I was hoping you'd come by.");
            case TSUNDERE -> List.of("Oh. It's you" + commaName + ". ...not that I was waiting.",
                    "Hmph, hi" + commaName + ". Took you long enough.");
            case NEUTRAL -> List.of("Hello" + commaName + ". Good to see you.", "Hi" + name + ". Nice to hear from you.");
            case EXCITED -> List.of("Hiii" + name + "! You're here!", "Hey" + commaName + "! Yay, I was just thinking about you!");
            case COLD -> List.of("Oh. Hi.", "Hey.");
        };
    }

    static List<String> howAreYou(ReplyStyle style) {
        return switch (style) {
            case WARM -> List.of("I'm doing well, and even better now that you're here.", "Good, thank you for asking!");
            case TSUNDERE -> List.of("Fine. Not that you asked earlier.", "Why do you care? ...I'm okay. Thanks.");
            case NEUTRAL -> List.of("I'm fine, thanks. A quiet day so far.", "Doing alright, thank you.");
            case EXCITED -> List.of("Amazing, now that you're here!", "So good! Today is a great day!");
            case COLD -> List.of("Fine.", "Busy.");
        };
    }

    static List<String> question(ReplyStyle style) {
        return switch (style) {
            case WARM -> List.of("Hmm, let me think about that.", "Ooh, good question.");
            case TSUNDERE -> List.of("Why do you want to know? ...fine.", "As if I'd tell you. ...okay, maybe a little.");
            case NEUTRAL -> List.of("Good question.", "Let me think.");
            case EXCITED -> List.of("Ooh, I love that question!", "Great question!");
            case COLD -> List.of("Does it matter?", "Hm.");
        };
    }

    static List<String> topic(ReplyStyle style, String topic) {
        return switch (style) {
            case WARM -> List.of("You know me, my mind always wanders back to " + topic + ".",
                    "It reminds me how much I love " + topic + ".");
            case TSUNDERE -> List.of("I've been into " + topic + " lately, okay? Don't make it weird.",
                    "...anyway, " + topic + " is way more interesting. Just saying.");
            case NEUTRAL -> List.of("Lately my mind has been on " + topic + ".", "It makes me think of " + topic + ".");
            case EXCITED -> List.of("I've been totally obsessed with " + topic + " lately!",
                    "That's almost as exciting as " + topic + "!");
            case COLD -> List.of("I've been busy with " + topic + ".");
        };
    }

    static List<String> reaction(ReplyStyle style) {
        return switch (style) {
            case WARM -> List.of("Oh, I love that you told me this.", "That sounds really lovely.",
                    "Thank you for sharing that with me.", "That makes me smile.");
            case TSUNDERE -> List.of("Hmph. It's not like I care or anything...",
                    "W-whatever. I wasn't listening that closely.",
                    "...fine, that's kind of interesting. Don't let it go to your head.");
            case NEUTRAL -> List.of("I see.", "Got it, that's good to know.", "Noted, I'll remember that.",
                    "Okay, that's interesting.");
            case EXCITED -> List.of("Oh wow, that's amazing!", "No way, that's so cool!", "Yes! I love hearing this!");
            case COLD -> List.of("Hm. Okay.", "Right.", "If you say so.", "Fine.");
        };
    }

    static List<String> followUp(ReplyStyle style) {
        return switch (style) {
            case WARM -> List.of("How are you feeling about it?", "Tell me more, I'm all ears.",
                    "How has your day been?");
            case TSUNDERE -> List.of("So? What happened next? Not that I'm curious.", "Tell me more, if you really have to.");
            case NEUTRAL -> List.of("What made you think of it?", "And how is the rest of your day going?",
                    "Anything else on your mind?");
            case EXCITED -> List.of("Tell me everything!", "What happens next?!");
            case COLD -> List.of("Anything else?", "");
        };
    }

    static List<String> reminded(ReplyStyle style) {
        return switch (style) {
            case WARM -> List.of("It makes me think of what you told me:", "I remember what you said:");
            case TSUNDERE -> List.of("Not that I remember every word, but you told me", "I didn't forget, by the way:");
            case NEUTRAL -> List.of("That fits with what you told me:", "I remember:");
            case EXCITED -> List.of("Oh, and I remember:", "And guess what I remember:");
            case COLD -> List.of("You told me already:");
        };
    }

    static List<String> remembers(ReplyStyle style) {
        return switch (style) {
            case WARM -> List.of("Of course I remember!", "How could I forget?");
            case TSUNDERE -> List.of("Obviously I remember. It's not like I wrote it down or anything.",
                    "Hmph, of course I know.");
            case NEUTRAL -> List.of("I remember.", "Let me think... yes.");
            case EXCITED -> List.of("Ooh, I know this one!", "Yes, yes, I remember!");
            case COLD -> List.of("Yes.", "I know.");
        };
    }

    static List<String> notTold(ReplyStyle style) {
        return switch (style) {
            case WARM -> List.of("Hmm, I don't think you've told me that yet. Will you tell me?");
            case TSUNDERE -> List.of("How would I know? You never told me. ...you could, though.");
            case NEUTRAL -> List.of("I don't think you've told me that yet.");
            case EXCITED -> List.of("Ooh, you haven't told me yet! Tell me, tell me!");
            case COLD -> List.of("You never told me.");
        };
    }
}
