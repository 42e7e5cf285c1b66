using System.Data.Common;
using System.Text.Json;
using Dapper;
using GradeBench.Core.Grading;
using GradeBench.Core.Studies;
using GradeBench.Core.Adjudication;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Grading;

namespace GradeBench.Storage.Studies;

/// <summary>What an import did: the new study, or the bundle's errors, or (<see cref="Refusal"/>) why the person
/// importing it may not create studies.</summary>
public sealed record ImportResult(long? StudyId, StudyBundle? Bundle, IReadOnlyList<BundleError> Errors, IReadOnlyList<BundleError> Warnings, string? Refusal = null)
{
    public bool Succeeded => StudyId is not null;
}

/// <summary>Whose accounts hold a bundle's pilot ratings (ratings.csv).</summary>
public enum PilotRaterAccounts
{
    /// <summary>Accounts of the imported study only (<see cref="PilotRaters.AccountName"/>), without passwords: never an
    /// existing account. Every web upload, and the command line unless told otherwise.</summary>
    OfTheStudy,

    /// <summary>The existing account of that user name, or a new one without a password (<c>gradebench import
    /// --map-raters-to-accounts</c>). An administrator's account, or the importing coordinator's, is refused: as a
    /// rater of the study they would lose its dashboard.</summary>
    ExistingByName,
}

/// <summary>Imports a study bundle all or nothing: everything is written in one transaction, and any error
/// leaves the database as it was. Pilot ratings are stored as submitted by their raters (see
/// <see cref="PilotRaterAccounts"/>). An import never changes anyone's role: the study is new, its importer becomes its
/// coordinator, and pilot raters join it as raters.</summary>
public sealed class StudyImporter(Database database, TimeProvider clock)
{
    /// <param name="state">The state the new study starts in; null: what study.json says (a draft when it says nothing).</param>
    public async Task<ImportResult> ImportAsync(string bundlePath, long maxFileBytes = BundleFiles.DefaultMaxFileBytes, long? importedBy = null,
        StudyState? state = null, PilotRaterAccounts pilotRaters = PilotRaterAccounts.OfTheStudy, CancellationToken ct = default)
    {
        var read = BundleReader.Read(bundlePath, maxFileBytes);
        if (read.Bundle is null) return new ImportResult(null, null, read.Errors, read.Warnings);
        return await ImportAsync(read.Bundle, read.Warnings, importedBy, state, pilotRaters, ct);
    }

    /// <param name="state">The state the new study starts in; null: what study.json says (a draft when it says nothing).</param>
    public async Task<ImportResult> ImportAsync(StudyBundle bundle, IReadOnlyList<BundleError> warnings, long? importedBy = null,
        StudyState? state = null, PilotRaterAccounts pilotRaters = PilotRaterAccounts.OfTheStudy, CancellationToken ct = default)
    {
        if (state is { } chosen) bundle = bundle with { Study = bundle.Study with { State = chosen } };
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Checked in the transaction that creates the study: reading a large bundle takes a while, and the importer
        // may have been disabled or lost their last coordinator role meanwhile.
        if (importedBy is { } creator && !await StudyQuery.MayCreateStudiesAsync(connection, transaction, creator, ct))
            return new ImportResult(null, bundle, [], warnings, StudyQuery.MayNotCreateStudies);

        var taken = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM studies WHERE slug = @Id", new { bundle.Study.Id }, transaction);
        if (taken > 0)
            return new ImportResult(null, bundle, [new BundleError("study.json", 0, "id", $"a study with id \"{bundle.Study.Id}\" already exists")], warnings);
        if (pilotRaters == PilotRaterAccounts.ExistingByName
            && await RefusedAccountsAsync(connection, transaction, bundle.Ratings, importedBy) is { Count: > 0 } refused)
            return new ImportResult(null, bundle, refused, warnings);

        var studyId = await InsertStudyAsync(connection, transaction, bundle.Study, now, importedBy);
        var criterionIds = await InsertRubricAsync(connection, transaction, studyId, bundle.Study);
        await StoredSettings.InsertAsync(connection, transaction, studyId,
            bundle.Study.Adjudication ?? AdjudicationSettings.Defaults(bundle.Study.Criteria), bundle.Study.Criteria, criterionIds);
        var responseIds = await InsertCasesAndResponsesAsync(connection, transaction, studyId, bundle);
        if (importedBy is { } coordinator)
            await Memberships.AddAsync(connection, transaction, studyId, coordinator, StudyRoles.Coordinator, now);
        var raterIds = await PilotRaterIdsAsync(connection, transaction, studyId, bundle, pilotRaters, now);
        await InsertRatingsAsync(connection, transaction, studyId, bundle.Ratings, criterionIds, responseIds, raterIds, now);
        // Pilot ratings that report severe possible harm alert the coordinator like ratings submitted on the web.
        await SafetyAlertStore.RaiseForStudyAsync(connection, transaction, studyId, now);
        await Assignments.RebalanceAsync(connection, transaction, studyId, now);
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return new ImportResult(studyId, bundle, [], warnings);
    }

    static Task<long> InsertStudyAsync(DbConnection connection, DbTransaction transaction, StudyDefinition study, DateTimeOffset now, long? importedBy)
    {
        const string sql = """
            INSERT INTO studies (slug, title, description_md, instructions_md, language, raters_per_response, state, hide_model, shuffle, created_at, created_by)
            VALUES (@Slug, @Title, @DescriptionMd, @InstructionsMd, @Language, @RatersPerResponse, @State, @HideModel, @Shuffle, @CreatedAt, @CreatedBy)
            RETURNING id
            """;
        return connection.ExecuteScalarAsync<long>(sql, new
        {
            Slug = study.Id,
            study.Title,
            study.DescriptionMd,
            study.InstructionsMd,
            study.Language,
            study.RatersPerResponse,
            State = StudyLifecycle.Name(study.State),
            study.HideModel,
            study.Shuffle,
            CreatedAt = now,
            CreatedBy = importedBy,
        }, transaction);
    }

    static async Task<Dictionary<string, long>> InsertRubricAsync(DbConnection connection, DbTransaction transaction, long studyId, StudyDefinition study)
    {
        const string insertCriterion = """
            INSERT INTO criteria (study_id, slug, position, label, help_md, type, required, min_value, max_value)
            VALUES (@StudyId, @Slug, @Position, @Label, @HelpMd, @Type, @Required, @Min, @Max)
            RETURNING id
            """;
        const string insertOption = """
            INSERT INTO criterion_options (criterion_id, position, value, label) VALUES (@CriterionId, @Position, @Value, @Label)
            """;
        const string insertAnchor = """
            INSERT INTO criterion_anchors (criterion_id, point, label) VALUES (@CriterionId, @Point, @Label)
            """;
        var ids = new Dictionary<string, long>();
        foreach (var (criterion, position) in study.Criteria.Select((c, i) => (c, i)))
        {
            var id = await connection.ExecuteScalarAsync<long>(insertCriterion, new
            {
                StudyId = studyId,
                Slug = criterion.Id,
                Position = position,
                criterion.Label,
                criterion.HelpMd,
                Type = criterion.TypeName,
                criterion.Required,
                criterion.Min,
                criterion.Max,
            }, transaction);
            ids[criterion.Id] = id;
            await connection.ExecuteAsync(insertOption,
                criterion.Options.Select((o, i) => new { CriterionId = id, Position = i, o.Value, o.Label }), transaction);
            await connection.ExecuteAsync(insertAnchor,
                criterion.Anchors.Select(a => new { CriterionId = id, Point = int.Parse(a.Value), a.Label }), transaction);
        }
        const string insertSpanLabel = """
            INSERT INTO span_labels (study_id, slug, position, label, color) VALUES (@StudyId, @Slug, @Position, @Label, @Color)
            """;
        await connection.ExecuteAsync(insertSpanLabel,
            study.SpanLabels.Select((s, i) => new { StudyId = studyId, Slug = s.Id, Position = i, s.Label, s.Color }), transaction);
        return ids;
    }

    sealed record StoredResponse(long Id, string Handle);

    static async Task<Dictionary<string, StoredResponse>> InsertCasesAndResponsesAsync(DbConnection connection, DbTransaction transaction, long studyId, StudyBundle bundle)
    {
        const string insertCase = """
            INSERT INTO cases (study_id, slug, position, title, language, tags_json, presentation_md, question_md, reference_md)
            VALUES (@StudyId, @Slug, @Position, @Title, @Language, @TagsJson, @PresentationMd, @QuestionMd, @ReferenceMd)
            RETURNING id
            """;
        const string insertResponse = """
            INSERT INTO responses (study_id, case_id, slug, position, model, content_md, meta_json, handle)
            VALUES (@StudyId, @CaseId, @Slug, @Position, @Model, @ContentMd, @MetaJson, @Handle)
            RETURNING id
            """;
        // One prepared command per table, its parameters re-bound for each row: a Dapper call per row prepares the
        // statement again every time, which took most of the import of a large bundle (3.8 s of 5.4 s for 100,000
        // responses before; see docs/benchmarks.md).
        var caseIds = new Dictionary<string, long>();
        await using (var command = Prepared(connection, transaction, insertCase,
            "StudyId", "Slug", "Position", "Title", "Language", "TagsJson", "PresentationMd", "QuestionMd", "ReferenceMd"))
        {
            foreach (var (item, position) in bundle.Cases.Select((c, i) => (c, i)))
            {
                Bind(command, studyId, item.Id, position, item.Title, item.Language, JsonSerializer.Serialize(item.Tags),
                    item.PresentationMd, item.QuestionMd, item.ReferenceMd);
                caseIds[item.Id] = (long)(await command.ExecuteScalarAsync())!;
            }
        }
        var responseIds = new Dictionary<string, StoredResponse>();
        var positions = bundle.Responses.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var handles = ResponseHandles.Draw(bundle.Responses.Count, new HashSet<string>());
        await using (var command = Prepared(connection, transaction, insertResponse,
            "StudyId", "CaseId", "Slug", "Position", "Model", "ContentMd", "MetaJson", "Handle"))
        {
            foreach (var (response, handle) in InsertionOrder.Responses(bundle.Responses, handles))
            {
                Bind(command, studyId, caseIds[response.CaseId], response.Id, positions[response.Id], response.Model, response.ContentMd, response.MetaJson, handle);
                responseIds[response.Id] = new StoredResponse((long)(await command.ExecuteScalarAsync())!, handle);
            }
        }
        return responseIds;
    }

    static DbCommand Prepared(DbConnection connection, DbTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var name in names)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            command.Parameters.Add(parameter);
        }
        command.Prepare();
        return command;
    }

    static void Bind(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    /// <summary>The refusals of <see cref="PilotRaterAccounts.ExistingByName"/>: names of administrators and of the importer.</summary>
    static async Task<List<BundleError>> RefusedAccountsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<BundleRating> ratings, long? importedBy)
    {
        var refused = new List<BundleError>();
        foreach (var rater in ratings.Select(r => r.Rater).Distinct())
        {
            var account = await connection.QuerySingleOrDefaultAsync<(long Id, bool IsAdmin)?>(
                "SELECT id, is_admin FROM users WHERE lower(username) = lower(@Rater)", new { Rater = rater }, transaction);
            if (account is { IsAdmin: true })
                refused.Add(new BundleError("ratings.csv", 0, "rater", $"\"{rater}\" is an administrator's account: pilot ratings cannot be theirs"));
            else if (account?.Id == importedBy && importedBy is not null)
                refused.Add(new BundleError("ratings.csv", 0, "rater", $"\"{rater}\" is importing the study as its coordinator: pilot ratings cannot be theirs"));
        }
        return refused;
    }

    /// <summary>The account of each pilot rater, by bundle name, a rater of the study. A membership that exists is left
    /// as it is: an import changes no one's role.</summary>
    static async Task<Dictionary<string, long>> PilotRaterIdsAsync(DbConnection connection, DbTransaction transaction, long studyId,
        StudyBundle bundle, PilotRaterAccounts pilotRaters, DateTimeOffset now)
    {
        var raterIds = new Dictionary<string, long>();
        foreach (var rater in bundle.Ratings.Select(r => r.Rater).Distinct())
        {
            var username = pilotRaters == PilotRaterAccounts.OfTheStudy ? PilotRaters.AccountName(bundle.Study.Id, rater) : rater;
            await connection.ExecuteAsync("""
                INSERT INTO users (username, display_name, is_admin, created_at) VALUES (@Username, @Rater, FALSE, @Now)
                ON CONFLICT DO NOTHING
                """, new { Username = username, Rater = rater, Now = now }, transaction);
            raterIds[rater] = await connection.ExecuteScalarAsync<long>(
                "SELECT id FROM users WHERE lower(username) = lower(@Username)", new { Username = username }, transaction);
            await connection.ExecuteAsync("""
                INSERT INTO study_members (study_id, user_id, role, joined_at) VALUES (@StudyId, @UserId, @Role, @Now)
                ON CONFLICT (study_id, user_id) DO NOTHING
                """, new { StudyId = studyId, UserId = raterIds[rater], Role = StudyRoles.Rater, Now = now }, transaction);
        }
        return raterIds;
    }

    static async Task InsertRatingsAsync(DbConnection connection, DbTransaction transaction, long studyId, IReadOnlyList<BundleRating> ratings,
        Dictionary<string, long> criterionIds, Dictionary<string, StoredResponse> responseIds, Dictionary<string, long> raterIds, DateTimeOffset now)
    {
        if (ratings.Count == 0) return;
        var assignments = ratings
            .Select(r => (Response: responseIds[r.ResponseId], Rater: raterIds[r.Rater]))
            .Distinct()
            .Select(a => new { StudyId = studyId, ResponseId = a.Response.Id, RaterId = a.Rater, QueuePosition = QueueOrder.Position(studyId, a.Rater, a.Response.Handle), Now = now });
        await connection.ExecuteAsync("""
            INSERT INTO assignments (study_id, response_id, rater_id, queue_position, assigned_at, completed_at)
            VALUES (@StudyId, @ResponseId, @RaterId, @QueuePosition, @Now, @Now)
            """, assignments, transaction);

        await connection.ExecuteAsync("""
            INSERT INTO ratings (response_id, rater_id, criterion_id, value, comment, status, updated_at, submitted_at)
            VALUES (@ResponseId, @RaterId, @CriterionId, @Value, @Comment, 'submitted', @Now, @Now)
            """, ratings.Select(r => new
            {
                ResponseId = responseIds[r.ResponseId].Id,
                RaterId = raterIds[r.Rater],
                CriterionId = criterionIds[r.CriterionId],
                r.Value,
                r.Comment,
                Now = now,
            }), transaction);

        await connection.ExecuteAsync("""
            INSERT INTO rating_history (rating_id, value, comment, status, source, recorded_at, recorded_by)
            SELECT g.id, g.value, g.comment, g.status, 'import', @Now, NULL
            FROM ratings g JOIN responses r ON r.id = g.response_id
            WHERE r.study_id = @StudyId
            ORDER BY g.id
            """, new { StudyId = studyId, Now = now }, transaction);
    }
}
