import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each script reads as numbered steps ({@code // 1. Load the data}), and the lesson that teaches it
 * walks through the same steps, in a part named "`script.java`, step by step": same numbers, same
 * words. This keeps the two from drifting apart when either changes.
 */
class LessonsTest {
    private static final Pattern SCRIPT_STEP = Pattern.compile("^\\s*// (\\d+)\\. (.*)$");
    private static final Pattern LESSON_STEP = Pattern.compile("^(\\d+)\\. \\*\\*(.*?)\\*\\*", Pattern.MULTILINE | Pattern.DOTALL);

    record Step(int number, String words) {}

    static List<Step> scriptSteps(Path script) throws IOException {
        List<Step> steps = new ArrayList<>();
        for (String line : Files.readAllLines(script)) {
            Matcher step = SCRIPT_STEP.matcher(line);
            if (step.matches()) steps.add(new Step(Integer.parseInt(step.group(1)), step.group(2)));
        }
        return steps;
    }

    /** The steps of the part "`name`, step by step" in {@code lesson}'s text, or null if it has none. */
    static List<Step> lessonSteps(String lesson, String name) {
        Matcher part = Pattern.compile("^#+ `" + Pattern.quote(name) + "`[^\\n]*, step by step\\n(.*?)(?=^#|\\z)",
                Pattern.MULTILINE | Pattern.DOTALL).matcher(lesson);
        if (!part.find()) return null;
        List<Step> steps = new ArrayList<>();
        Matcher step = LESSON_STEP.matcher(part.group(1));
        while (step.find()) steps.add(new Step(Integer.parseInt(step.group(1)), step.group(2)));
        return steps;
    }

    private static String words(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").trim();
    }

    @Test
    void everyScriptsStepsAreNumberedOneToNAndItsLessonWalksThroughTheSame() throws IOException {
        List<String> lessons = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("lessons"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) lessons.add(Files.readString(file));
        }
        List<Path> scripts;
        try (Stream<Path> files = Files.list(Path.of("scripts"))) {
            scripts = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        int checked = 0;
        for (Path script : scripts) {
            List<Step> steps = scriptSteps(script);
            for (int i = 0; i < steps.size(); i++) assertEquals(i + 1, steps.get(i).number(), script + ": steps numbered 1 to N");
            if (steps.isEmpty()) continue;
            String name = script.getFileName().toString();
            List<Step> taught = lessons.stream().map(lesson -> lessonSteps(lesson, name)).filter(s -> s != null).findFirst().orElse(null);
            assertFalse(taught == null, "no lesson has a part \"`" + name + "`, step by step\"");
            assertEquals(steps.size(), taught.size(), name + ": the lesson lists " + taught + " for " + steps);
            for (int i = 0; i < steps.size(); i++) {
                String inScript = words(steps.get(i).words());
                String inLesson = words(taught.get(i).words());
                assertEquals(steps.get(i).number(), taught.get(i).number(), name);
                assertTrue(inScript.startsWith(inLesson) || inLesson.startsWith(inScript),
                        name + " step " + (i + 1) + ": script says \"" + steps.get(i).words() + "\", lesson \"" + taught.get(i).words() + "\"");
            }
            checked++;
        }
        assertTrue(checked >= 12, "only " + checked + " scripts checked");
    }

    /**
     * Every line of Java that a lesson or the README quotes is in the code as it reads today (indents
     * aside; a line with "..." stands for what the quote leaves out), so no quote outlives the code.
     */
    @Test
    void everyLineOfJavaALessonQuotesIsInTheCode() throws IOException {
        StringBuilder code = new StringBuilder();
        for (Path root : List.of(Path.of("scripts"), Path.of("lessons", "examples"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    for (String line : Files.readAllLines(file)) code.append(line.strip()).append('\n');
                }
            }
        }
        List<Path> texts = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> files = Files.list(Path.of("lessons"))) {
            texts.addAll(files.filter(f -> f.toString().endsWith(".md")).sorted().toList());
        }
        Pattern javaBlock = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
        List<String> missing = new ArrayList<>();
        int quoted = 0;
        for (Path text : texts) {
            Matcher block = javaBlock.matcher(Files.readString(text));
            while (block.find()) {
                for (String line : block.group(1).lines().map(String::strip).toList()) {
                    if (line.length() < 3 || line.contains("...")) continue; // "}", "{", ");" and left-out parts
                    quoted++;
                    if (code.indexOf(line) < 0) missing.add(text + ": " + line);
                }
            }
        }
        assertTrue(quoted >= 100, "only " + quoted + " lines of Java found in the lessons");
        assertEquals(List.of(), missing, "lines the lessons quote that the code no longer has");
    }
}
