using System.Globalization;
using GradeBench.Core.Agreement;
using Sylvan.Data.Csv;

namespace GradeBench.Core.Checklists;

/// <summary>Reads checklist marks: CSV (RFC 4180, UTF-8) with the header <c>response,model,rater,criterion,points,met</c>
/// and optionally <c>tags</c> (other columns ignored), one row per mark. <c>points</c> is a non-zero integer, <c>met</c>
/// one of <c>true</c>, <c>false</c> (in any case), <c>1</c>, <c>0</c>, and <c>tags</c> the criterion's tags separated by
/// <c>;</c>. The file has no case column, so the marks have no case.</summary>
public static class ChecklistMarksCsv
{
    static readonly string[] Header = ["response", "model", "rater", "criterion", "points", "met"];

    /// <exception cref="RatingsCsvException">A malformed file, naming its line and field: a missing column, an empty
    /// field, points that are not a non-zero integer, a met that is not true or false, an empty or repeated tag, an
    /// answer by two models, a criterion of an answer with other points or tags than on an earlier line, a rater's
    /// second mark of the same criterion of an answer, or a rater who marked only some of an answer's criteria.</exception>
    public static IReadOnlyList<ChecklistMark> Read(TextReader text)
    {
        using var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = false, Delimiter = ',', Comment = '\0' });
        var marks = new List<ChecklistMark>();
        var answers = new Dictionary<string, (string Model, int Line)>(StringComparer.Ordinal);
        var criteria = new Dictionary<(string Response, string Criterion), (int Points, string Tags, int Line)>();
        var criteriaOfAnswer = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var firstMark = new Dictionary<(string Response, string Rater), int>();
        var marked = new Dictionary<(string Response, string Rater, string Criterion), int>();
        int[] columns = [];
        var tagsColumn = -1;
        var fields = 0;
        foreach (var line in CsvRecords.Lines(csv))
        {
            if (fields == 0)
            {
                fields = csv.RowFieldCount;
                columns = CsvRecords.Columns(csv, Header);
                if (columns.Contains(-1))
                    throw new RatingsCsvException(line, $"header must name the columns {string.Join(',', Header)}; it is {string.Join(',', Enumerable.Range(0, fields).Select(csv.GetString))}");
                tagsColumn = CsvRecords.Columns(csv, "tags")[0];
                continue;
            }
            if (csv.RowFieldCount != fields) throw new RatingsCsvException(line, $"expected {fields} fields, found {csv.RowFieldCount}");
            var values = new string[Header.Length];
            for (var i = 0; i < Header.Length; i++)
                if ((values[i] = csv.GetString(columns[i])).Length == 0) throw new RatingsCsvException(line, $"{Header[i]}: empty");
            var (response, model, rater, criterion, pointsText, metText) = (values[0], values[1], values[2], values[3], values[4], values[5]);
            if (!int.TryParse(pointsText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var points))
                throw new RatingsCsvException(line, $"points: \"{pointsText}\" is not a whole number");
            if (points == 0) throw new RatingsCsvException(line, "points: 0; a criterion is worth a non-zero whole number of points (negative for what an answer must not do)");
            var met = metText.ToLowerInvariant() switch
            {
                "true" or "1" => true,
                "false" or "0" => false,
                _ => throw new RatingsCsvException(line, $"met: \"{metText}\" is not one of true, false, 1, 0"),
            };
            string[] tags = tagsColumn < 0 ? [] : Tags(csv.GetString(tagsColumn), line);

            if (answers.TryGetValue(response, out var answer))
            {
                if (answer.Model != model) throw new RatingsCsvException(line, $"model: response \"{response}\" is by \"{answer.Model}\" (line {answer.Line})");
            }
            else answers[response] = (model, line);
            var tagText = string.Join(';', tags.Order(StringComparer.Ordinal));
            if (criteria.TryGetValue((response, criterion), out var known))
            {
                if (known.Points != points)
                    throw new RatingsCsvException(line, $"points: criterion \"{criterion}\" of response \"{response}\" is worth {known.Points} (line {known.Line})");
                if (known.Tags != tagText)
                    throw new RatingsCsvException(line, $"tags: criterion \"{criterion}\" of response \"{response}\" has the tags \"{known.Tags}\" (line {known.Line})");
            }
            else
            {
                criteria[(response, criterion)] = (points, tagText, line);
                if (!criteriaOfAnswer.TryGetValue(response, out var list)) criteriaOfAnswer[response] = list = [];
                list.Add(criterion);
            }
            if (!marked.TryAdd((response, rater, criterion), line))
                throw new RatingsCsvException(line,
                    $"rater \"{rater}\" marked criterion \"{criterion}\" of response \"{response}\" already (line {marked[(response, rater, criterion)]})");
            firstMark.TryAdd((response, rater), line);
            marks.Add(new ChecklistMark(response, model, null, rater, criterion, points, met, tags));
        }
        if (fields == 0) throw new RatingsCsvException(0, $"the file is empty: expected a header {string.Join(',', Header)} and one row per mark");
        if (marks.Count == 0) throw new RatingsCsvException(1, "no marks after the header");
        foreach (var ((response, rater), line) in firstMark.OrderBy(f => f.Value))
            foreach (var criterion in criteriaOfAnswer[response])
                if (!marked.ContainsKey((response, rater, criterion)))
                    throw new RatingsCsvException(line,
                        $"rater \"{rater}\" marked response \"{response}\" but not its criterion \"{criterion}\" (line {criteria[(response, criterion)].Line}); " +
                        "a rater marks every criterion of the answers they mark");
        return marks;
    }

    /// <summary>A criterion's tags, separated by <c>;</c> with spaces around them ignored; none when the field is empty.</summary>
    static string[] Tags(string field, int line)
    {
        if (field.Trim().Length == 0) return [];
        var tags = field.Split(';').Select(t => t.Trim()).ToArray();
        if (tags.Any(t => t.Length == 0)) throw new RatingsCsvException(line, $"tags: \"{field}\" has an empty tag (tags are separated by ;)");
        if (tags.GroupBy(t => t, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new RatingsCsvException(line, $"tags: \"{twice.Key}\" twice");
        return tags;
    }
}
