using System.Text;
using System.Text.Json;
using GradeBench.Core.Grading;
using GradeBench.Core.Messages;
using GradeBench.Core.Notes;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Rubrics;
using static GradeBench.Core.Studies.BundleSyntax;

namespace GradeBench.Core.Studies;

/// <summary>Reads study.json: the study's settings, its rubric (<see cref="RubricReader"/>) and its adjudication
/// settings (<see cref="AdjudicationSettingsReader"/>).</summary>
static class StudyJsonReader
{
    internal static StudyDefinition? Read(string text, BundleReport report, RubricIds rubricIds)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, StrictJson);
        }
        catch (JsonException e)
        {
            var (line, message) = JsonProblem(e, text);
            report.Error(StudyFile, line, "json", message);
            return null;
        }
        using (document)
        {
            var lines = new JsonLineMap(Encoding.UTF8.GetBytes(text));
            void Error(string path, Message message) => report.Error(StudyFile, lines.LineOf(path), path.Length == 0 ? "study" : path, message);
            void Warn(string path, Message message) => report.Warn(StudyFile, lines.LineOf(path), path, message);

            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("", new Message("Bundle_TopLevelNotObject"));
                return null;
            }
            string[] known = ["format", "id", "title", "description_md", "instructions_md", "language", "raters_per_response", "state", "blinding", "rubric", "adjudication", "safety", "human_subset", "design", "pairwise", "note_labels", "raters_per_case"];
            foreach (var property in root.EnumerateObject())
                if (!known.Contains(property.Name))
                    report.Warn(StudyFile, lines.LineOf(property.Name), property.Name, new Message("Bundle_UnknownField"));

            var format = OptionalString(root, "format");
            if (format != BundleReader.Format) Error("format", new Message("Bundle_FormatGot", BundleReader.Format, Describe(root, "format")));
            var id = OptionalString(root, "id");
            if (!IsIdentifier(id)) Error("id", IdRule);
            var title = OptionalString(root, "title");
            if (string.IsNullOrWhiteSpace(title)) Error("title", new Message("Bundle_NonEmptyString"));
            string Markdown(string name)
            {
                if (!root.TryGetProperty(name, out var value)) return "";
                if (value.ValueKind == JsonValueKind.String) return value.GetString()!;
                Error(name, new Message("Bundle_MarkdownString"));
                return "";
            }
            var description = Markdown("description_md");
            var language = "en";
            if (root.TryGetProperty("language", out var lang))
            {
                if (lang.ValueKind == JsonValueKind.String && LanguagePattern().IsMatch(lang.GetString()!)) language = lang.GetString()!;
                else Error("language", new Message("Bundle_LanguageTag"));
            }
            // The instructions, like the rubric's texts, may be given in several languages (StudyTextReader).
            var (instructions, instructionTexts) = root.TryGetProperty("instructions_md", out _)
                ? StudyTextReader.Read(root, "instructions_md", "instructions_md", language, new Message("Bundle_MarkdownString"), allowEmpty: true, Error)
                : ("", Translations.None);
            var ratersPerResponse = 3;
            if (root.TryGetProperty("raters_per_response", out var rpr))
            {
                if (rpr.ValueKind == JsonValueKind.Number && rpr.TryGetInt32(out var n) && n >= 1) ratersPerResponse = n;
                else Error("raters_per_response", new Message("Bundle_PositiveInteger"));
            }
            // A new study starts as a draft unless it says otherwise: calibration and set-up happen before raters start.
            var state = StudyState.Draft;
            if (root.TryGetProperty("state", out var st))
            {
                if (st.ValueKind == JsonValueKind.String && st.GetString() is "open" or "draft")
                    state = st.GetString() == "open" ? StudyState.Open : StudyState.Draft;
                else Error("state", new Message("Bundle_StateGot", Describe(root, "state")));
            }
            bool hideModel = true, shuffle = true;
            if (root.TryGetProperty("blinding", out var blinding))
            {
                if (blinding.ValueKind != JsonValueKind.Object) Error("blinding", new Message("Bundle_MustBeObject"));
                else
                {
                    hideModel = Flag(blinding, "hide_model", "blinding.hide_model", true, Error);
                    shuffle = Flag(blinding, "shuffle", "blinding.shuffle", true, Error);
                }
            }

            // Physicians rate a subset when judges rate everything (docs/assignment.md, "Physicians on a subset").
            HumanSubset? humanSubset = null;
            if (root.TryGetProperty("human_subset", out var subset))
            {
                if (subset.ValueKind == JsonValueKind.Number && HumanSubset.Parse(subset.GetRawText()) is { } rule) humanSubset = rule;
                else Error("human_subset", new Message("Bundle_HumanSubset", Describe(root, "human_subset")));
            }

            var criteria = new List<Criterion>();
            var spanLabels = new List<SpanLabel>();
            // The criteria labels may name: an invalid criterion has its own error, so naming it is none.
            HashSet<string> CriterionIds() => [.. criteria.Select(c => c.Id), .. rubricIds.Invalid];
            // A side-by-side study asks its axes instead of rubric criteria (PairwiseSettingsReader); its rubric, if any,
            // holds span labels only. Without a rubric a single study's criteria are its cases' checklists (BundleReader
            // checks that there are some).
            var (pairwise, annotation) = ReadDesign(root, language, lines, rubricIds, Error, Warn);
            rubricIds.CriteriaLine = lines.LineOf("rubric.criteria");
            // A note-only study's raters mark passages of its notes: no rubric, and its raters are counted per case.
            if (annotation)
            {
                ratersPerResponse = AnnotationRatersPerCase;
                if (root.TryGetProperty("raters_per_case", out var rpc))
                {
                    if (rpc.ValueKind == JsonValueKind.Number && rpc.TryGetInt32(out var n) && n >= 1) ratersPerResponse = n;
                    else Error("raters_per_case", new Message("Bundle_PositiveInteger"));
                }
                if (root.TryGetProperty("raters_per_response", out _)) Error("raters_per_response", new Message("Bundle_AnnotationRatersPerCase"));
                if (root.TryGetProperty("rubric", out _)) Error("rubric", new Message("Bundle_AnnotationNoRubric"));
                if (humanSubset is not null) Error("human_subset", new Message("Bundle_AnnotationNoJudges"));
                humanSubset = null;
            }
            else if (pairwise is not null)
            {
                (ratersPerResponse, humanSubset) = (pairwise.RatersPerPair, null);
                if (root.TryGetProperty("rubric", out var labelsOnly) && labelsOnly.ValueKind == JsonValueKind.Object)
                    RubricReader.ReadSpanLabels(labelsOnly, language, new HashSet<string>(), spanLabels, Error);
            }
            else if (!root.TryGetProperty("rubric", out var rubric)) rubricIds.Usable = true;
            else if (rubric.ValueKind != JsonValueKind.Object) Error("rubric", new Message("Bundle_RubricMissing"));
            else
            {
                rubricIds.Usable = RubricReader.ReadCriteria(rubric, language, criteria, rubricIds.Invalid, Error);
                RubricReader.ReadSpanLabels(rubric, language, CriterionIds(), spanLabels, Error);
            }

            var adjudication = pairwise is null && !annotation && rubricIds.Usable ? AdjudicationSettingsReader.Read(root, criteria, rubricIds.Invalid, Error, Warn) : null;
            var noteLabels = NoteLabelReader.Read(root, language, CriterionIds(), Error, Warn);
            if (annotation && noteLabels.Count == 0 && !(root.TryGetProperty("note_labels", out var given) && given.ValueKind == JsonValueKind.Array && given.GetArrayLength() > 0))
                Error("note_labels", new Message("Bundle_AnnotationNoteLabels"));

            // Returned even when invalid, so that ratings.csv can still be checked against the criteria that are.
            return new StudyDefinition(id ?? "", title ?? "", description, instructions ?? "", language, ratersPerResponse, state, hideModel, shuffle, criteria, spanLabels)
            {
                Adjudication = adjudication,
                InstructionsTranslations = instructionTexts,
                HumanSubset = humanSubset,
                Pairwise = pairwise,
                NoteLabels = noteLabels,
                Annotation = annotation,
            };
        }
    }

    /// <summary>The raters per case of a note-only study that does not say (<c>raters_per_case</c>).</summary>
    internal const int AnnotationRatersPerCase = 2;

    /// <summary>The side-by-side design when <c>design</c> is <c>"pairwise"</c> (else null, and a <c>pairwise</c> object is
    /// an error), and whether the study is a note-only one (<c>"annotation"</c>), which alone may give <c>raters_per_case</c>.</summary>
    static (PairwiseDesign? Pairwise, bool Annotation) ReadDesign(JsonElement root, string language, JsonLineMap lines, RubricIds rubricIds,
        Action<string, Message> error, Action<string, Message> warn)
    {
        var design = OptionalString(root, "design") ?? (root.TryGetProperty("design", out _) ? "" : "single");
        if (design != "annotation" && root.TryGetProperty("raters_per_case", out _)) error("raters_per_case", new Message("Bundle_AnnotationOnly"));
        if (design == "pairwise")
        {
            (var pairwise, rubricIds.PairwiseUsable) = PairwiseSettingsReader.Read(root, language, lines.LineOf, error, warn);
            return (pairwise, false);
        }
        if (design is not ("single" or "annotation")) error("design", new Message("Bundle_DesignGot", Describe(root, "design")));
        if (root.TryGetProperty("pairwise", out _)) error("pairwise", new Message("Bundle_PairwiseOnly"));
        return (null, design == "annotation");
    }
}
