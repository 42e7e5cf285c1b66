using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using GradeBench.Core.Grading;
using GradeBench.Core.Messages;
using GradeBench.Core.Notes;
using GradeBench.Core.Studies;
using GradeBench.Core.Adjudication;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Storage.Studies;

/// <summary>What an import did: the new study, or the bundle's errors, or (<see cref="Refusal"/>) why the person
/// importing it may not create studies.</summary>
public sealed record ImportResult(long? StudyId, StudyBundle? Bundle, IReadOnlyList<BundleError> Errors, IReadOnlyList<BundleError> Warnings, Message? Refusal = null)
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
    public Task<ImportResult> ImportAsync(StudyBundle bundle, IReadOnlyList<BundleError> warnings, long? importedBy = null,
        StudyState? state = null, PilotRaterAccounts pilotRaters = PilotRaterAccounts.OfTheStudy, CancellationToken ct = default) =>
        ImportAsync(new StagedBundleRead(bundle, Task.FromResult(new BundleReadResult(bundle, [], warnings))), importedBy, state, pilotRaters, ct);

    /// <summary>Imports a bundle whose ratings.csv may still be being checked (<see cref="BundleReader.ReadStaged"/>): the
    /// study, cases and responses are written meanwhile, in the import's transaction, which commits only once the whole
    /// bundle is found valid. The transaction holds the database's write lock while ratings.csv is checked: meant for a
    /// new database file (<see cref="NewDatabaseFile"/>), which nobody else writes.</summary>
    /// <param name="state">The state the new study starts in; null: what study.json says (a draft when it says nothing).</param>
    public async Task<ImportResult> ImportAsync(StagedBundleRead staged, long? importedBy = null,
        StudyState? state = null, PilotRaterAccounts pilotRaters = PilotRaterAccounts.OfTheStudy, CancellationToken ct = default)
    {
        if (staged.Head is not { } head)
        {
            var read = await staged.Complete;
            return new ImportResult(null, null, read.Errors, read.Warnings);
        }
        if (state is { } chosen) head = head with { Study = head.Study with { State = chosen } };
        // A note-only study's cases are its items: each is written as a hidden answer, its note item.
        if (head.Study.Annotation) head = head with { Responses = Notes.NoteItems.Of(head.Cases) };
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        if (!database.IsSqlite)
            return await ImportAsync(connection, head, staged.Complete, staged.RatingsAsRead, importedBy, now, pilotRaters, deferIndexes: false, ct);
        // SQLite's default 2 MB page cache spills a large import's index pages to the WAL and reads them back: with
        // 64 MiB the 1.6M-rating import took a third less CPU. Foreign keys are off for the import's transaction (a
        // parent lookup per column per row): every id written comes from this import's own dictionaries or a row read in
        // it (docs/benchmarks.md). Both set back for the pooled connection, also after a failure; foreign_keys can only
        // change outside a transaction.
        var cacheSize = await connection.ExecuteScalarAsync<long>("PRAGMA cache_size");
        var foreignKeys = await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys");
        await connection.ExecuteAsync($"PRAGMA cache_size = -{ImportCacheKiB}; PRAGMA foreign_keys = OFF");
        try
        {
            return await ImportAsync(connection, head, staged.Complete, staged.RatingsAsRead, importedBy, now, pilotRaters, database.IsBuilding, ct);
        }
        finally
        {
            await connection.ExecuteAsync($"PRAGMA cache_size = {cacheSize}; PRAGMA foreign_keys = {foreignKeys}");
        }
    }

    const int ImportCacheKiB = 64 * 1024;

    /// <summary>Writes <paramref name="head"/> (study, cases, responses), then its ratings as they are read
    /// (<paramref name="ratingsAsRead"/>; else once <paramref name="complete"/>), and commits once <paramref name="complete"/>
    /// says the whole bundle is valid; any error or refusal rolls everything back.</summary>
    static async Task<ImportResult> ImportAsync(DbConnection connection, StudyBundle head, Task<BundleReadResult> complete,
        ChannelReader<BundleRating[]>? ratingsAsRead, long? importedBy,
        DateTimeOffset now, PilotRaterAccounts pilotRaters, bool deferIndexes, CancellationToken ct)
    {
        await using var transaction = await connection.BeginWriteAsync(ct);
        // Checked in the transaction that creates the study: reading a large bundle takes a while, and the importer
        // may have been disabled or lost their last coordinator role meanwhile.
        if (importedBy is { } creator && !await StudyQuery.MayCreateStudiesAsync(connection, transaction, creator, ct))
        {
            var read = await complete;
            return new ImportResult(null, read.Bundle, read.Errors, read.Warnings, StudyQuery.MayNotCreateStudies);
        }

        var taken = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM studies WHERE slug = @Id", new { head.Study.Id }, transaction);
        if (taken > 0)
        {
            var read = await complete;
            return new ImportResult(null, read.Bundle,
                [new BundleError("study.json", 0, "id", new Message("Setup_StudyExists", head.Study.Id)), .. read.Errors], read.Warnings);
        }

        var studyId = await InsertStudyAsync(connection, transaction, head.Study, now, importedBy);
        var criterionIds = await InsertRubricAsync(connection, transaction, studyId, head.Study);
        await InsertNoteLabelsAsync(connection, transaction, studyId, head.Study, criterionIds);
        await StoredSettings.InsertAsync(connection, transaction, studyId,
            head.Study.Adjudication ?? AdjudicationSettings.Defaults(head.Study.Criteria), head.Study.Criteria, criterionIds);
        var deferred = deferIndexes ? await DropPlainIndexesAsync(connection, transaction) : [];
        var responseIds = InsertCasesAndResponses(connection, studyId, head);
        var forPhysicians = await SetHumanSubsetAsync(connection, transaction, head, responseIds);
        if (importedBy is { } coordinator)
            await Memberships.AddAsync(connection, transaction, studyId, coordinator, StudyRoles.Coordinator, now);

        // The ratings as ratings.csv is read: each rater's account when their first rating comes; nothing more is
        // written once one is refused or a rating names a response not written (the bundle has an error then).
        var importedAt = Database.StoredTimestamp(now);
        using var ratings = new ImportedRatingWriter(connection, studyId, criterionIds, responseIds, SafetyValues(head.Study, criterionIds), importedAt);
        var raterIds = new Dictionary<string, long>();
        var refused = new List<BundleError>();
        var refusedRaters = new HashSet<string>();
        var writing = true;
        await foreach (var batch in RatingsAsRead(complete, ratingsAsRead, ct))
        {
            foreach (var rater in NewRaters(batch, raterIds, refusedRaters))
            {
                if (pilotRaters == PilotRaterAccounts.ExistingByName && await RefusalAsync(connection, transaction, rater, importedBy) is { } refusal)
                {
                    refused.Add(refusal);
                    refusedRaters.Add(rater);
                }
                else raterIds[rater] = await PilotRaterIdAsync(connection, transaction, studyId, head.Study.Id, rater, pilotRaters, now);
            }
            writing = writing && refused.Count == 0 && ratings.Write(batch, raterIds);
        }
        var (whole, errors, warnings) = await complete;
        if (whole is null) return new ImportResult(null, null, errors, warnings);
        var bundle = whole with { Study = head.Study, Responses = head.Responses };
        if (refused.Count > 0) return new ImportResult(null, bundle, refused, warnings);
        if (!writing || ratings.Written != bundle.Ratings.Count)
            throw new InvalidOperationException($"{ratings.Written} ratings were written of the bundle's {bundle.Ratings.Count}");

        ratings.InsertAssignments();
        foreach (var index in deferred) await connection.ExecuteAsync(index, transaction: transaction);
        // A side-by-side study's raters compare pairs: its design, pairs, votes and pair assignments are written apart.
        if (bundle.Study.Pairwise is not null)
        {
            if (await PairwiseImport.WriteAsync(connection, transaction, studyId, bundle, responseIds, importedBy, pilotRaters, now) is { Count: > 0 } refusedVoters)
                return new ImportResult(null, bundle, refusedVoters, warnings);
        }
        // The pilot raters' assignments are their ratings'; a study that asks for more raters per response than the
        // bundle brings gets the rest planned now, from what this import wrote.
        else if (!ratings.CoverEveryResponse(responseIds.Count, Math.Min(head.Study.RatersPerResponse, raterIds.Count)))
            await Assignments.TopUpAsync(connection, transaction, studyId,
                [.. bundle.Responses.Where(r => forPhysicians.Contains(r.Id)).Select(r => (responseIds[r.Id].Id, responseIds[r.Id].Handle))],
                [.. ratings.Assignments.Select(a => new Assignment(a.ResponseId, a.RaterId))], [], now);
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return new ImportResult(studyId, bundle, [], warnings);
    }

    /// <summary>Marks the responses physicians do not rate when study.json's <c>human_subset</c> chose fewer (the judges
    /// rate them all); returns the bundle ids of those they rate.</summary>
    static async Task<IReadOnlySet<string>> SetHumanSubsetAsync(DbConnection connection, DbTransaction transaction, StudyBundle head,
        Dictionary<string, StoredResponse> responseIds)
    {
        var all = head.Responses.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        if (head.Study.HumanSubset is not { } rule) return all;
        var chosen = rule.Choose(head.Study.Id, [.. head.Responses.Select(r => (r.Id, r.Model, false))], all);
        await connection.ExecuteAsync("UPDATE responses SET for_physicians = FALSE WHERE id = @Id",
            all.Where(id => !chosen.Contains(id)).Select(id => new { responseIds[id].Id }), transaction);
        return chosen;
    }

    static Task<long> InsertStudyAsync(DbConnection connection, DbTransaction transaction, StudyDefinition study, DateTimeOffset now, long? importedBy)
    {
        const string sql = """
            INSERT INTO studies (slug, title, description_md, instructions_md, instructions_translations_json, language, raters_per_response, state, hide_model, shuffle, created_at, created_by, human_subset)
            VALUES (@Slug, @Title, @DescriptionMd, @InstructionsMd, @InstructionsTranslations, @Language, @RatersPerResponse, @State, @HideModel, @Shuffle, @CreatedAt, @CreatedBy, @HumanSubset)
            RETURNING id
            """;
        return connection.ExecuteScalarAsync<long>(sql, new
        {
            Slug = study.Id,
            study.Title,
            study.DescriptionMd,
            study.InstructionsMd,
            InstructionsTranslations = study.InstructionsTranslations.ToJson(),
            study.Language,
            study.RatersPerResponse,
            State = StudyLifecycle.Name(study.State),
            study.HideModel,
            study.Shuffle,
            CreatedAt = now,
            CreatedBy = importedBy,
            HumanSubset = study.HumanSubset?.ToString(),
        }, transaction);
    }

    static async Task<Dictionary<string, long>> InsertRubricAsync(DbConnection connection, DbTransaction transaction, long studyId, StudyDefinition study)
    {
        const string insertCriterion = """
            INSERT INTO criteria (study_id, slug, position, label, label_translations_json, help_md, help_translations_json, type, required, min_value, max_value)
            VALUES (@StudyId, @Slug, @Position, @Label, @LabelTranslations, @HelpMd, @HelpTranslations, @Type, @Required, @Min, @Max)
            RETURNING id
            """;
        const string insertOption = """
            INSERT INTO criterion_options (criterion_id, position, value, label, label_translations_json)
            VALUES (@CriterionId, @Position, @Value, @Label, @LabelTranslations)
            """;
        const string insertAnchor = """
            INSERT INTO criterion_anchors (criterion_id, point, label, label_translations_json) VALUES (@CriterionId, @Point, @Label, @LabelTranslations)
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
                LabelTranslations = criterion.LabelTranslations.ToJson(),
                criterion.HelpMd,
                HelpTranslations = criterion.HelpTranslations.ToJson(),
                Type = criterion.TypeName,
                criterion.Required,
                criterion.Min,
                criterion.Max,
            }, transaction);
            ids[criterion.Id] = id;
            await connection.ExecuteAsync(insertOption,
                criterion.Options.Select((o, i) => new { CriterionId = id, Position = i, o.Value, o.Label, LabelTranslations = o.LabelTranslations.ToJson() }), transaction);
            await connection.ExecuteAsync(insertAnchor,
                criterion.Anchors.Select(a => new { CriterionId = id, Point = int.Parse(a.Value), a.Label, LabelTranslations = a.LabelTranslations.ToJson() }), transaction);
        }
        const string insertSpanLabel = """
            INSERT INTO span_labels (study_id, slug, position, label, label_translations_json, color)
            VALUES (@StudyId, @Slug, @Position, @Label, @LabelTranslations, @Color)
            """;
        foreach (var (label, position) in study.SpanLabels.Select((s, i) => (s, i)))
        {
            var labelId = await connection.ExecuteScalarAsync<long>(insertSpanLabel + " RETURNING id",
                new { StudyId = studyId, Slug = label.Id, Position = position, label.Label, LabelTranslations = label.LabelTranslations.ToJson(), label.Color },
                transaction);
            await LabelCriteria.InsertAsync(connection, transaction, LabelKind.Span, labelId, label.Criteria, ids);
        }
        return ids;
    }

    /// <summary>study.json's note labels (docs/bundle-format.md, "Note labels"), each with its attributes, in their order.</summary>
    static async Task InsertNoteLabelsAsync(DbConnection connection, DbTransaction transaction, long studyId, StudyDefinition study,
        IReadOnlyDictionary<string, long> criterionIds)
    {
        foreach (var (label, position) in study.NoteLabels.Select((l, i) => (l, i)))
        {
            var id = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO note_labels (study_id, slug, position, label, label_translations_json, color)
                VALUES (@StudyId, @Slug, @Position, @Label, @LabelTranslations, @Color)
                RETURNING id
                """, new { StudyId = studyId, Slug = label.Id, Position = position, label.Label, LabelTranslations = label.LabelTranslations.ToJson(), label.Color },
                transaction);
            await connection.ExecuteAsync("""
                INSERT INTO note_label_attributes (label_id, slug, position, label, label_translations_json, kind)
                VALUES (@LabelId, @Slug, @Position, @Label, @LabelTranslations, @Kind)
                """, label.Attributes.Select((a, i) => new
                {
                    LabelId = id, Slug = a.Id, Position = i, a.Label, LabelTranslations = a.LabelTranslations.ToJson(), Kind = NoteAttribute.KindName(a.Kind),
                }), transaction);
            await LabelCriteria.InsertAsync(connection, transaction, LabelKind.Note, id, label.Criteria, criterionIds);
        }
    }

    /// <summary>In a new database (<see cref="NewDatabaseFile"/>) the plain indexes of the tables an import fills are
    /// dropped before the rows and created again after from their own definitions: SQLite then builds each from sorted
    /// rows instead of inserting half a million entries at random places. Unique indexes stay: they check the rows.</summary>
    static async Task<List<string>> DropPlainIndexesAsync(DbConnection connection, DbTransaction transaction)
    {
        var indexes = (await connection.QueryAsync<(string Name, string Sql)>("""
            SELECT name, sql FROM sqlite_master
            WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE %' AND tbl_name IN ('responses', 'assignments', 'ratings')
            """, transaction: transaction)).AsList();
        foreach (var (name, _) in indexes) await connection.ExecuteAsync($"DROP INDEX \"{name}\"", transaction: transaction);
        return [.. indexes.Select(i => i.Sql)];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call, a loop of many rows: no tiering through OSR
    static Dictionary<string, StoredResponse> InsertCasesAndResponses(DbConnection connection, long studyId, StudyBundle bundle)
    {
        var caseIds = new Dictionary<string, long>();
        var checklists = new Dictionary<string, IReadOnlyDictionary<string, long>>();
        using (var insertCase = RowInsert.Prepare(connection, """
            INSERT INTO cases (study_id, slug, position, title, language, tags_json, presentation_md, question_md, reference_md)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """))
        using (var insertChecklist = new ChecklistInsert(connection, studyId))
        {
            foreach (var (item, position) in bundle.Cases.Select((c, i) => (c, i)))
            {
                caseIds[item.Id] = insertCase.Bind(1, studyId).Bind(2, item.Id).Bind(3, position).Bind(4, item.Title).Bind(5, item.Language)
                    .Bind(6, JsonSerializer.Serialize(item.Tags)).Bind(7, item.PresentationMd).Bind(8, item.QuestionMd).Bind(9, item.ReferenceMd).RunReturningId();
                if (item.Criteria.Count > 0) checklists[item.Id] = insertChecklist.Insert(caseIds[item.Id], item.Criteria);
            }
        }
        var responseIds = new Dictionary<string, StoredResponse>();
        var positions = bundle.Responses.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var handles = ResponseHandles.Draw(bundle.Responses.Count, new HashSet<string>());
        using var insertResponse = RowInsert.Prepare(connection, """
            INSERT INTO responses (study_id, case_id, slug, position, model, content_md, meta_json, handle)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """);
        foreach (var (response, handle) in InsertionOrder.Responses(bundle.Responses, handles))
        {
            var id = insertResponse.Bind(1, studyId).Bind(2, caseIds[response.CaseId]).Bind(3, response.Id).Bind(4, positions[response.Id])
                .BindShared(5, response.Model).Bind(6, response.ContentMd).Bind(7, response.MetaJson).Bind(8, handle).RunReturningId();
            responseIds[response.Id] = new StoredResponse(id, handle) { Checklist = checklists.GetValueOrDefault(response.CaseId) };
        }
        return responseIds;
    }

    /// <summary>The ratings as ratings.csv is read; all of them at once when the bundle has been read whole.</summary>
    static async IAsyncEnumerable<BundleRating[]> RatingsAsRead(Task<BundleReadResult> complete, ChannelReader<BundleRating[]>? asRead,
        [EnumeratorCancellation] CancellationToken ct)
    {
        if (asRead is not null)
        {
            await foreach (var batch in asRead.ReadAllAsync(ct)) yield return batch;
        }
        else if ((await complete).Bundle is { } whole) yield return [.. whole.Ratings];
    }

    /// <summary>The raters of a batch met for the first time (neither given an id nor refused), in order.</summary>
    static List<string> NewRaters(BundleRating[] batch, Dictionary<string, long> raterIds, HashSet<string> refused)
    {
        var found = new List<string>();
        string? last = null;
        foreach (var rating in batch)
        {
            if (ReferenceEquals(rating.Rater, last)) continue;
            last = rating.Rater;
            if (!raterIds.ContainsKey(last) && !refused.Contains(last) && !found.Contains(last))
                found.Add(last);
        }
        return found;
    }

    /// <summary>Why <paramref name="rater"/>'s existing account may not hold pilot ratings
    /// (<see cref="PilotRaterAccounts.ExistingByName"/>): an administrator's, or the importer's; null when it may.</summary>
    internal static async Task<BundleError?> RefusalAsync(DbConnection connection, DbTransaction transaction, string rater, long? importedBy,
        string file = "ratings.csv")
    {
        var account = await connection.QuerySingleOrDefaultAsync<(long Id, bool IsAdmin)?>(
            "SELECT id, is_admin FROM users WHERE lower(username) = @Key", new { Key = UsernameKey.Of(rater) }, transaction);
        if (account is { IsAdmin: true })
            return new BundleError(file, 0, "rater", new Message("Setup_PilotRaterIsAdministrator", rater));
        if (account?.Id == importedBy && importedBy is not null)
            return new BundleError(file, 0, "rater", new Message("Setup_PilotRaterIsImporter", rater));
        return null;
    }

    /// <summary>The account of a pilot rater, by bundle name, made a rater of the study. A membership that exists is
    /// left as it is: an import changes no one's role.</summary>
    internal static async Task<long> PilotRaterIdAsync(DbConnection connection, DbTransaction transaction, long studyId, string studySlug,
        string rater, PilotRaterAccounts pilotRaters, DateTimeOffset now)
    {
        var username = pilotRaters == PilotRaterAccounts.OfTheStudy ? PilotRaters.AccountName(studySlug, rater) : rater;
        await connection.ExecuteAsync("""
            INSERT INTO users (username, display_name, is_admin, created_at) VALUES (@Username, @Rater, FALSE, @Now)
            ON CONFLICT DO NOTHING
            """, new { Username = username, Rater = rater, Now = now }, transaction);
        var id = await connection.ExecuteScalarAsync<long>(
            "SELECT id FROM users WHERE lower(username) = @Key", new { Key = UsernameKey.Of(username) }, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO study_members (study_id, user_id, role, joined_at) VALUES (@StudyId, @UserId, @Role, @Now)
            ON CONFLICT (study_id, user_id) DO NOTHING
            """, new { StudyId = studyId, UserId = id, Role = StudyRoles.Rater, Now = now }, transaction);
        return id;
    }

    /// <summary>The (criterion, value) pairs that report severe possible harm (<see cref="AdjudicationSettings.Safety"/>).</summary>
    static HashSet<(long CriterionId, string Value)> SafetyValues(StudyDefinition study, Dictionary<string, long> criterionIds) =>
        [.. (study.Adjudication ?? AdjudicationSettings.Defaults(study.Criteria)).Safety
            .SelectMany(t => t.Values.Select(v => (criterionIds[t.CriterionId], v)))];
}
