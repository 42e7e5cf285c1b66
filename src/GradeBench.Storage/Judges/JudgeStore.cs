using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using GradeBench.Core.Grading;
using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Storage.Judges;

/// <summary>What is recorded of a new judge: its name in the study, the model and how it is run.</summary>
public sealed record NewJudge(string Name, string Model, string? Version = null, string? PromptText = null, double? Temperature = null);

/// <summary>A judge of a study with its provenance (docs/setup.md, "Judges") and how far it has rated.</summary>
public sealed record Judge
{
    public long UserId { get; init; }
    public long StudyId { get; init; }
    public required string Name { get; init; }
    /// <summary>The account's user name (<see cref="JudgeStore.Username"/>), which <c>gradebench token</c> takes.</summary>
    public required string Username { get; init; }
    public required string Model { get; init; }
    public string? ModelVersion { get; init; }
    public string? PromptText { get; init; }
    /// <summary>SHA-256 of the prompt's UTF-8 text, lower-case hex; null without a prompt.</summary>
    public string? PromptSha256 { get; init; }
    public double? Temperature { get; init; }
    /// <summary>The study's rubric when the judge was added (<see cref="RubricVersion"/>).</summary>
    public required string RubricSha256 { get; init; }
    /// <summary>The judge rates every response of the study, those added later too; else the set chosen when it was added.</summary>
    public bool AllResponses { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public long Assigned { get; init; }
    public long Done { get; init; }
    public bool Disabled { get; init; }
}

public enum JudgeAddOutcome { Added, NameTaken, UnknownResponses, NoSuchStudy, PairwiseStudy, NoteOnlyStudy }

/// <summary>What adding a judge did: the judge and its first API token (shown once), or why not.
/// <see cref="UnknownResponses"/>: the places, in the list given, of response ids the study does not have.</summary>
public sealed record JudgeAdded(JudgeAddOutcome Outcome, Judge? Judge = null, string? Token = null)
{
    public IReadOnlyList<int> UnknownResponses { get; init; } = [];
}

public enum JudgeImportOutcome { Imported, NoSuchJudge, StudyClosed, Invalid }

/// <summary>What importing a judge's ratings did: how many responses the file rated and how many values (with their
/// explanations) changed, the rest being as stored already; or the file's errors, or why nothing could be imported.</summary>
public sealed record JudgeImport(JudgeImportOutcome Outcome, int Responses = 0, int Changed = 0)
{
    public IReadOnlyList<BundleError> Errors { get; init; } = [];
    public Message? Refusal { get; init; }
}

/// <summary>A study's LLM judges: accounts of kind <c>judge</c> that belong to one study in the role <c>judge</c>, rate
/// through the API with a token and never sign in to the web. Each has its own assignments (every response, or a chosen
/// set), outside the physicians' plan and left out of every physician statistic (<see cref="JudgeRaters"/>).</summary>
public sealed class JudgeStore(Database database, RubricQuery rubric, TimeProvider clock)
{
    /// <summary>The label of the token a judge is created with.</summary>
    public const string TokenLabel = "judge";

    /// <summary>The user name of the judge <paramref name="name"/> of the study <paramref name="studyId"/> (its id in
    /// study.json): <c>{study}:{name}</c>, which nobody can choose (user names are identifiers, without ":"), so a judge
    /// never lends its account to a person, a pilot rater or another study's judge.</summary>
    public static string Username(string studyId, string name) => $"{studyId}:{name}";

    /// <summary>SHA-256 of <paramref name="prompt"/>'s UTF-8 bytes, lower-case hex.</summary>
    public static string PromptSha256(string prompt) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt)));

    /// <summary>Adds a judge to the study with its first API token, all or nothing: its account, membership, provenance
    /// (the rubric's version as it stands now) and one assignment per response it is to rate: every response when
    /// <paramref name="responses"/> is null (and those added later), else those bundle response ids.</summary>
    public async Task<JudgeAdded> AddAsync(long studyId, NewJudge judge, IReadOnlyList<string>? responses = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(judge);
        if (!BundleReader.IsIdentifier(judge.Name)) throw new ArgumentException("A judge's name is an identifier (A-Z a-z 0-9 . _ -, 1 to 64).", nameof(judge));
        var rubricVersion = RubricVersion.Of((await rubric.LoadAsync(studyId, ct)).Select(c => c.Criterion));
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        var study = await connection.QuerySingleOrDefaultAsync<(string Slug, string Design)?>(
            "SELECT slug, design FROM studies WHERE id = @StudyId", new { StudyId = studyId }, transaction);
        if (study is not { } found) return new JudgeAdded(JudgeAddOutcome.NoSuchStudy);
        // A judge rates single answers on the rubric; a side-by-side study has neither.
        if (found.Design == "pairwise") return new JudgeAdded(JudgeAddOutcome.PairwiseStudy);
        // Nor does a note-only study: its items are notes to mark, not answers.
        if (await Notes.NoteItems.IsAnnotationAsync(connection, transaction, studyId, ct)) return new JudgeAdded(JudgeAddOutcome.NoteOnlyStudy);
        var slug = found.Slug;
        var studyResponses = (await connection.QueryAsync<(long Id, string Slug, string Handle)>(
            "SELECT id, slug, handle FROM responses WHERE study_id = @StudyId ORDER BY position", new { StudyId = studyId }, transaction)).AsList();
        var chosen = studyResponses;
        if (responses is not null)
        {
            var bySlug = studyResponses.ToDictionary(r => r.Slug, StringComparer.Ordinal);
            var unknown = responses.Select((id, at) => (id, at)).Where(r => !bySlug.ContainsKey(r.id)).Select(r => r.at).ToList();
            if (unknown.Count > 0) return new JudgeAdded(JudgeAddOutcome.UnknownResponses) { UnknownResponses = unknown };
            chosen = [.. responses.Distinct(StringComparer.Ordinal).Select(id => bySlug[id])];
        }

        var username = Username(slug, judge.Name);
        var userId = await connection.QuerySingleOrDefaultAsync<long?>("""
            INSERT INTO users (username, display_name, is_admin, kind, created_at) VALUES (@Username, @Name, FALSE, 'judge', @Now)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, new { Username = username, judge.Name, Now = now }, transaction);
        if (userId is not { } id) return new JudgeAdded(JudgeAddOutcome.NameTaken);
        await connection.ExecuteAsync("""
            INSERT INTO study_members (study_id, user_id, role, joined_at) VALUES (@StudyId, @UserId, @Role, @Now)
            """, new { StudyId = studyId, UserId = id, Role = StudyRoles.Judge, Now = now }, transaction);
        var stored = new Judge
        {
            UserId = id, StudyId = studyId, Name = judge.Name, Username = username, Model = judge.Model, ModelVersion = judge.Version,
            PromptText = judge.PromptText, PromptSha256 = judge.PromptText is { } prompt ? PromptSha256(prompt) : null,
            Temperature = judge.Temperature, RubricSha256 = rubricVersion, AllResponses = responses is null, CreatedAt = now,
            Assigned = chosen.Count,
        };
        await connection.ExecuteAsync("""
            INSERT INTO judges (user_id, study_id, name, model, model_version, prompt_text, prompt_sha256, temperature, rubric_sha256, all_responses, created_at)
            VALUES (@UserId, @StudyId, @Name, @Model, @ModelVersion, @PromptText, @PromptSha256, @Temperature, @RubricSha256, @AllResponses, @CreatedAt)
            """, stored, transaction);
        await AssignAsync(connection, transaction, studyId, id, chosen.Select(r => (r.Id, r.Handle)), now);
        var token = await ApiTokenStore.CreateAsync(connection, transaction, id, TokenLabel, now);
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return new JudgeAdded(JudgeAddOutcome.Added, stored, token);
    }

    /// <summary>Imports a judge's ratings from a CSV (<see cref="JudgeRatingsReader"/>) in one transaction, all or nothing,
    /// as submitted: each row replaces the judge's value of that criterion of that response and its explanation (none
    /// when the row gives none); every earlier value stays in the rating's history, and a row that changes nothing
    /// writes nothing. Every response named must be one the judge rates, and after the import have a value of each
    /// required criterion. Refused for a closed study.</summary>
    /// <param name="file">The file's name as errors name it (<c>file:line: field: message</c>).</param>
    public async Task<JudgeImport> ImportAsync(long studyId, string judgeName, string file, byte[] csv, CancellationToken ct = default)
    {
        var criteria = await rubric.LoadAsync(studyId, ct);
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        var keys = new { StudyId = studyId, Name = judgeName };
        var judgeId = await connection.ExecuteScalarAsync<long?>(
            "SELECT user_id FROM judges WHERE study_id = @StudyId AND name = @Name", keys, transaction);
        if (judgeId is not { } judge) return new JudgeImport(JudgeImportOutcome.NoSuchJudge);
        if (await connection.ExecuteScalarAsync<string>("SELECT state FROM studies WHERE id = @StudyId", keys, transaction) == "closed")
            return new JudgeImport(JudgeImportOutcome.StudyClosed) { Refusal = new Message("Judge_StudyClosed") };
        var responses = (await connection.QueryAsync<(string Slug, long Id)>(
            "SELECT slug, id FROM responses WHERE study_id = @StudyId", keys, transaction)).ToDictionary(r => r.Slug, r => r.Id, StringComparer.Ordinal);
        var (ratings, errors) = JudgeRatingsReader.Read(file, csv, [.. criteria.Select(c => c.Criterion)], responses.Keys.ToHashSet());
        if (errors.Count > 0) return new JudgeImport(JudgeImportOutcome.Invalid) { Errors = errors };

        var judgeKeys = new { StudyId = studyId, JudgeId = judge };
        var assigned = (await connection.QueryAsync<long>(
            "SELECT response_id FROM assignments WHERE study_id = @StudyId AND rater_id = @JudgeId", judgeKeys, transaction)).ToHashSet();
        var stored = (await connection.QueryAsync<StoredValue>("""
            SELECT g.id, g.response_id, g.criterion_id, g.value, g.comment, g.status FROM ratings g JOIN responses r ON r.id = g.response_id
            WHERE r.study_id = @StudyId AND g.rater_id = @JudgeId
            """, judgeKeys, transaction)).ToDictionary(g => (g.ResponseId, g.CriterionId));
        var criterionIds = criteria.ToDictionary(c => c.Criterion.Id, c => c.Id, StringComparer.Ordinal);
        var problems = new List<BundleError>();
        foreach (var response in ratings.GroupBy(r => r.ResponseId))
        {
            var id = responses[response.Key];
            var line = response.First().Line;
            if (!assigned.Contains(id))
            {
                problems.Add(new BundleError(file, line, "response_id", new Message("Judge_NotAssigned", response.Key)));
                continue;
            }
            var given = response.Select(r => r.CriterionId).ToHashSet(StringComparer.Ordinal);
            var missing = criteria.Where(c => c.Criterion.Required && !given.Contains(c.Criterion.Id)
                && stored.GetValueOrDefault((id, c.Id))?.Value is null).Select(c => c.Criterion.Id).ToList();
            if (missing.Count > 0)
                problems.Add(new BundleError(file, line, "criterion", new Message("Judge_MissingRequired", response.Key, string.Join(", ", missing))));
        }
        if (problems.Count > 0) return new JudgeImport(JudgeImportOutcome.Invalid) { Errors = Listed(problems) };

        var changed = 0;
        var changedResponses = new HashSet<long>();
        foreach (var rating in ratings)
        {
            var (responseId, criterionId) = (responses[rating.ResponseId], criterionIds[rating.CriterionId]);
            var before = stored.GetValueOrDefault((responseId, criterionId));
            if (before is { Status: "submitted" } && before.Value == rating.Value && before.Comment == rating.Explanation) continue;
            changed++;
            changedResponses.Add(responseId);
            var ratingId = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO ratings (response_id, rater_id, criterion_id, value, comment, status, updated_at, submitted_at)
                VALUES (@ResponseId, @JudgeId, @CriterionId, @Value, @Explanation, 'submitted', @Now, @Now)
                ON CONFLICT (response_id, rater_id, criterion_id) DO UPDATE SET
                    value = excluded.value, comment = excluded.comment, status = excluded.status, updated_at = excluded.updated_at,
                    submitted_at = COALESCE(ratings.submitted_at, excluded.submitted_at)
                RETURNING id
                """, new { ResponseId = responseId, JudgeId = judge, CriterionId = criterionId, rating.Value, rating.Explanation, Now = now }, transaction);
            // Every writer but a bundle's import records its lines (Grading.RatingHistory): the history keeps each value.
            await connection.ExecuteAsync("""
                INSERT INTO rating_history (rating_id, value, comment, status, source, recorded_at, recorded_by)
                VALUES (@RatingId, @Value, @Explanation, 'submitted', 'import', @Now, NULL)
                """, new { RatingId = ratingId, rating.Value, rating.Explanation, Now = now }, transaction);
        }
        var rated = ratings.Select(r => responses[r.ResponseId]).Distinct().ToList();
        await connection.ExecuteAsync("""
            UPDATE assignments SET completed_at = @Now
            WHERE study_id = @StudyId AND rater_id = @JudgeId AND response_id = @ResponseId AND completed_at IS NULL
            """, rated.Select(r => new { StudyId = studyId, JudgeId = judge, ResponseId = r, Now = now }), transaction);
        if (changed > 0)
        {
            await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
            await JudgeBatches.RecordImportAsync(connection, transaction, studyId, judge, changedResponses.Count, now);
        }
        await transaction.CommitAsync(ct);
        return new JudgeImport(JudgeImportOutcome.Imported, rated.Count, changed);
    }

    /// <summary>The first <see cref="BundleReader.MaxErrorsListed"/> errors, then one line of how many more.</summary>
    static IReadOnlyList<BundleError> Listed(List<BundleError> errors) => errors.Count <= BundleReader.MaxErrorsListed ? errors
        : [.. errors.Take(BundleReader.MaxErrorsListed), new BundleError("", 0, "", new Message("Bundle_MoreErrors",
            (errors.Count - BundleReader.MaxErrorsListed).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))
            { Omitted = errors.Count - BundleReader.MaxErrorsListed }];

    sealed class StoredValue
    {
        public long Id { get; init; }
        public long ResponseId { get; init; }
        public long CriterionId { get; init; }
        public string? Value { get; init; }
        public string? Comment { get; init; }
        public string Status { get; init; } = "";
    }

    /// <summary>Gives every judge of the study that rates all responses the responses it has no assignment of yet (those
    /// just added); inside the caller's transaction. Returns how many assignments were added.</summary>
    internal static async Task<int> TopUpAsync(DbConnection connection, DbTransaction transaction, long studyId, DateTimeOffset now)
    {
        var missing = (await connection.QueryAsync<(long JudgeId, long ResponseId, string Handle)>("""
            SELECT j.user_id, r.id, r.handle FROM judges j JOIN responses r ON r.study_id = j.study_id
            WHERE j.study_id = @StudyId AND j.all_responses
              AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.response_id = r.id AND a.rater_id = j.user_id)
            """, new { StudyId = studyId }, transaction)).AsList();
        foreach (var judge in missing.GroupBy(m => m.JudgeId))
            await AssignAsync(connection, transaction, studyId, judge.Key, judge.Select(m => (m.ResponseId, m.Handle)), now);
        return missing.Count;
    }

    static Task AssignAsync(DbConnection connection, DbTransaction transaction, long studyId, long judgeId,
        IEnumerable<(long ResponseId, string Handle)> responses, DateTimeOffset now) =>
        connection.ExecuteAsync("""
            INSERT INTO assignments (study_id, response_id, rater_id, queue_position, assigned_at)
            VALUES (@StudyId, @ResponseId, @RaterId, @QueuePosition, @Now)
            """, responses.Select(r => new
            {
                StudyId = studyId, r.ResponseId, RaterId = judgeId, QueuePosition = QueueOrder.Position(studyId, judgeId, r.Handle), Now = now,
            }), transaction);

    const string Select = """
        SELECT j.user_id, j.study_id, j.name, u.username, j.model, j.model_version, j.prompt_text, j.prompt_sha256, j.temperature,
               j.rubric_sha256, j.all_responses, j.created_at, u.disabled_at IS NOT NULL AS disabled,
               (SELECT COUNT(*) FROM assignments a WHERE a.rater_id = j.user_id AND a.study_id = j.study_id) AS assigned,
               (SELECT COUNT(*) FROM assignments a WHERE a.rater_id = j.user_id AND a.study_id = j.study_id AND a.completed_at IS NOT NULL) AS done
        FROM judges j JOIN users u ON u.id = j.user_id
        WHERE j.study_id = @StudyId
        """;

    /// <summary>The study's judges by name.</summary>
    public async Task<IReadOnlyList<Judge>> ListAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ListAsync(connection, studyId, ct);
    }

    /// <inheritdoc cref="ListAsync(long, CancellationToken)"/>
    internal static async Task<IReadOnlyList<Judge>> ListAsync(DbConnection connection, long studyId, CancellationToken ct) =>
        (await connection.QueryAsync<Judge>(new CommandDefinition(Select + " ORDER BY j.name", new { StudyId = studyId }, cancellationToken: ct))).AsList();

    /// <summary>The judge of the study with this name, or null.</summary>
    public async Task<Judge?> FindAsync(long studyId, string name, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Judge>(new CommandDefinition(Select + " AND j.name = @Name",
            new { StudyId = studyId, Name = name }, cancellationToken: ct));
    }

    /// <summary>The version of the study's rubric as it stands now, to compare with a judge's.</summary>
    public async Task<string> RubricVersionAsync(long studyId, CancellationToken ct = default) =>
        RubricVersion.Of((await rubric.LoadAsync(studyId, ct)).Select(c => c.Criterion));
}
