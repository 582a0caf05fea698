// The benchmark dataset: one organisation with 100,000 users, 30 credential types and 1,000,000
// credentials of 1-3 versions each, spread over every status (valid, expiring soon, expired, no
// expiry, pending, rejected, archived), in a fresh SQLite database. Seeded: the same seed gives
// the same rows, dates relative to the day it runs.
//
// The schema comes from MigrateSqlite, the organisation, its administrator, the credential types
// and an API token from the services (so they are exactly what the server would write); the
// bulk of users, credentials and versions is written with prepared statements in one
// transaction, as the store's own statements would write them, because a million service calls
// would take far longer than the benchmark is allowed.
//
// Then the role requirements of spec/REQUIREMENTS.md "Performance": 20 groups of 5,000 members
// each (drawn from the users; a user may be in several groups), 5 requirements a group, each
// naming 1-3 of the 30 types, some with min_days_remaining, some with grace, a quarter `warn`;
// 5% of memberships began within the last 30 days (in grace where a requirement grants it) and
// 0.5% of a requirement's members hold an exemption (open-ended, running or already over).
// The rows are those migrations/sqlite/0006_groups.sql and the store's groups.cc write.
//
// Writes, next to the database: <db>.token (the administrator's API token), <db>.users (user ids,
// one a line), <db>.renewable (ids of credentials a version can be added to: not archived, of
// a type that expires), <db>.groups (group ids) and <db>.members (ids of the users in at least
// one group). Prints how long each step took.
//
// Usage: generate --db PATH [--users N] [--credentials N] [--groups N] [--members N]
//                 [--requirements N] [--seed S]

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "service/credential_type_service.h"
#include "service/services.h"
#include "store/sqlite/sqlite_store.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "generate: " << what << "\n";
  std::exit(1);
}

void Check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    Die(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

void Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    Die(std::string(sql) + ": " + msg);
  }
}

// A version 4 UUID from the seeded generator, so ids repeat between runs.
std::string SeededUuid(std::mt19937_64& rng) {
  uint64_t hi = rng(), lo = rng();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

std::string IsoDate(std::chrono::sys_days d) {
  std::chrono::year_month_day ymd(d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    Check(db, sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr), sql);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Text(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& TextOrNull(int i, const std::string& v) {
    if (v.empty()) {
      sqlite3_bind_null(stmt_, i);
    } else {
      Text(i, v);
    }
    return *this;
  }
  Statement& Int(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  void Run() {
    Check(db_, sqlite3_step(stmt_), "step");
    sqlite3_reset(stmt_);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  int64_t n_users = 100000, n_credentials = 1000000;
  int64_t n_groups = 20, n_members = 5000, n_requirements = 5;
  uint64_t seed = 20261129;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--db")
      path = next();
    else if (a == "--users")
      n_users = std::stoll(next());
    else if (a == "--credentials")
      n_credentials = std::stoll(next());
    else if (a == "--groups")
      n_groups = std::stoll(next());
    else if (a == "--members")
      n_members = std::stoll(next());
    else if (a == "--requirements")
      n_requirements = std::stoll(next());
    else if (a == "--seed")
      seed = std::stoull(next());
    else
      Die("unknown argument " + a +
          " (usage: generate --db PATH [--users N] [--credentials N] [--groups N] [--members N]"
          " [--requirements N] [--seed S])");
  }
  if (path.empty()) Die("--db PATH is required");
  spdlog::set_level(spdlog::level::warn);  // not the "applied migration" lines
  constexpr int kTypes = 30;
  constexpr int kNonExpiringTypes = 4;  // the first few types never expire ("no expiry")
  if (n_users < 1 || n_credentials < n_users) Die("need at least one credential per user");
  if (n_groups < 0 || n_members < 0 || n_members > n_users || n_requirements < 0) {
    Die("need 0 <= --members <= --users, and no negative --groups or --requirements");
  }

  const auto total_start = Clock::now();
  for (const char* suffix :
       {"", "-wal", "-shm", ".token", ".users", ".renewable", ".groups", ".members"}) {
    std::filesystem::remove(path + suffix);
  }
  if (auto parent = std::filesystem::path(path).parent_path(); !parent.empty()) {
    std::filesystem::create_directories(parent);
  }

  // 1. Schema, organisation, administrator, types and token, through the store and services.
  auto step = Clock::now();
  if (auto m = bf::MigrateSqlite(path); !m) Die("migrate: " + m.error().message);
  std::string org_id, admin_id, standard_set_id, token;
  std::vector<std::string> type_ids;
  std::vector<bool> type_expires;
  {
    auto store = bf::OpenSqliteStore(path);
    if (!store) Die("open: " + store.error().message);
    bf::SystemClock clock;
    bf::ServiceOptions options;
    options.fast_password_hash = true;
    bf::Services services(bf::ServiceContext{**store, clock, options});
    bf::NewOrganization org;
    org.name = "Benchmark Holdings";
    org.timezone = "UTC";
    org.admin = bf::NewUser{"admin@bench.example", "Bench Administrator", "", "bench-password"};
    auto created = services.orgs.Create(org);
    if (!created) Die("create organisation: " + created.error().message);
    org_id = created->org.id;
    admin_id = created->admin.id;
    bf::Actor admin{org_id, admin_id, created->admin.name, created->admin.permissions};
    {
      auto uow = (*store)->Begin(true);
      if (!uow) Die("begin: " + uow.error().message);
      auto standard = (*uow)->FindPermissionSetByName(org_id, "standard");
      if (!standard || !*standard) Die("no standard permission set");
      standard_set_id = (*standard)->id;
      for (int t = 0; t < kTypes; ++t) {
        bf::CredentialTypeInput in;
        in.name = "Credential type " + std::to_string(t + 1);
        in.description = "Generated for the benchmark.";
        in.expires = t >= kNonExpiringTypes;
        auto type = bf::CredentialTypeService::CreateAsSystem(**uow, services.ctx, org_id, in);
        if (!type) Die("create type: " + type.error().message);
        type_ids.push_back(type->id);
        type_expires.push_back(t >= kNonExpiringTypes);
      }
      if (auto c = (*uow)->Commit(); !c) Die("commit: " + c.error().message);
    }
    auto created_token = services.auth.CreateToken(admin, "benchmark");
    if (!created_token) Die("create token: " + created_token.error().message);
    token = created_token->secret;
  }
  std::ofstream(path + ".token") << token << "\n";
  std::cout << "schema, organisation, 30 types and token: " << Seconds(step) << " s\n";

  // 2. The bulk, in one transaction with prepared statements.
  sqlite3* db = nullptr;
  Check(db, sqlite3_open(path.c_str(), &db), "open");
  Exec(db, "PRAGMA journal_mode=WAL");
  Exec(db, "PRAGMA synchronous=OFF");
  Exec(db, "PRAGMA cache_size=-1048576");  // 1 GiB: the indexes stay in memory while they grow
  Exec(db, "PRAGMA temp_store=MEMORY");
  Exec(db, "PRAGMA foreign_keys=OFF");  // every reference below is to a row written here
  Exec(db, "BEGIN");

  std::mt19937_64 rng(seed);
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  constexpr int64_t kDayMs = 86400000;

  step = Clock::now();
  std::vector<std::string> user_ids;
  user_ids.reserve(static_cast<size_t>(n_users));
  {
    Statement ins(db,
                  "INSERT INTO users (id, org_id, email, email_key, name, name_key, status, "
                  "permission_set_id,"
                  " password_hash, created_at, updated_at) VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, "
                  "'', ?8, ?8)");
    for (int64_t u = 0; u < n_users; ++u) {
      std::string id = SeededUuid(rng);
      char email[64], name[64], name_key[64];
      std::snprintf(email, sizeof email, "user%06lld@bench.example", static_cast<long long>(u));
      std::snprintf(name, sizeof name, "Worker %06lld", static_cast<long long>(u));
      std::snprintf(name_key, sizeof name_key, "worker %06lld", static_cast<long long>(u));
      ins.Text(1, id)
          .Text(2, org_id)
          .Text(3, email)
          .Text(4, name)
          .Text(5, name_key)
          .Text(6, u % 50 == 49 ? "deactivated" : "active")
          .Text(7, standard_set_id)
          .Int(8, now_ms - u * 1000);
      ins.Run();
      user_ids.push_back(std::move(id));
    }
  }
  std::cout << "users: " << n_users << " in " << Seconds(step) << " s\n";

  step = Clock::now();
  int64_t n_versions = 0;
  int64_t by_expiry[4] = {0, 0, 0, 0};    // valid, expiring soon, expired, no expiry
  int64_t by_approval[4] = {0, 0, 0, 0};  // not_required, pending, approved, rejected
  int64_t archived_count = 0;
  {
    std::ofstream renewable(path + ".renewable");
    Statement cred(
        db,
        "INSERT INTO credentials (id, org_id, user_id, type_id, archived, version, issue_date,"
        " expiry_date, credential_number, number_key, approval_status, etag_counter, created_at,"
        " created_by, updated_at, updated_by)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?14)");
    Statement ver(
        db,
        "INSERT INTO credential_versions (credential_id, version, issue_date, expiry_date,"
        " credential_number, approval_status, rejection_reason, approved_by, approved_at, "
        "created_at,"
        " created_by, updated_at, updated_by)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10, ?11)");
    std::uniform_int_distribution<int> pct(0, 99);
    static const char* kApproval[] = {"not_required", "pending", "approved", "rejected"};
    for (int64_t c = 0; c < n_credentials; ++c) {
      // Credentials are dealt to users in turn, so every user holds n_credentials / n_users.
      const int64_t u = c % n_users;
      const int64_t nth = c / n_users;
      const int t = static_cast<int>((u * 7 + nth * 11) % kTypes);
      const bool expires = type_expires[static_cast<size_t>(t)];
      const std::string id = SeededUuid(rng);
      const int versions = 1 + static_cast<int>(rng() % 3);
      const bool archived = pct(rng) < 5;
      // The latest version's expiry: 20% expired, 10% expiring within 30 days, the rest valid.
      int expiry_offset = 0;
      int expiry_kind = 3;
      if (expires) {
        int p = pct(rng);
        if (p < 20) {
          expiry_offset = -1 - static_cast<int>(rng() % 700);
          expiry_kind = 2;
        } else if (p < 30) {
          expiry_offset = static_cast<int>(rng() % 31);
          expiry_kind = 1;
        } else {
          expiry_offset = 31 + static_cast<int>(rng() % 1100);
          expiry_kind = 0;
        }
      }
      // Approval of the latest version: 8% pending, 4% rejected, 20% approved, the rest not
      // required.
      int p = pct(rng);
      const int approval = p < 8 ? 1 : p < 12 ? 3 : p < 32 ? 2 : 0;
      ++by_expiry[expiry_kind];
      ++by_approval[approval];
      archived_count += archived;

      char number[32];
      std::snprintf(number, sizeof number, "BF-%02d-%07lld", t + 1, static_cast<long long>(c));
      std::string number_key = number;
      for (char& ch : number_key)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      // Each version is valid for about three years; older ones ended where the next began.
      std::string latest_issue, latest_expiry;
      for (int v = 1; v <= versions; ++v) {
        const int back = versions - v;  // 0 for the latest
        const auto expiry_day = today + std::chrono::days(expiry_offset - back * 1095);
        const auto issue_day = expiry_day - std::chrono::days(1095);
        const std::string issue =
            IsoDate(expires ? issue_day : today - std::chrono::days(30 + back * 400));
        const std::string expiry = expires ? IsoDate(expiry_day) : std::string();
        const bool latest = back == 0;
        const int status = latest ? approval : (approval == 0 ? 0 : 2);
        const int64_t created = now_ms - (back + 1) * 90 * kDayMs - (c % 1000) * 1000;
        ver.Text(1, id).Int(2, v).Text(3, issue).TextOrNull(4, expiry).Text(5, number).Text(
            6, kApproval[status]);
        ver.TextOrNull(
            7, status == 3 ? std::string("Photo unreadable; please upload again.") : std::string());
        ver.TextOrNull(8, status == 2 ? admin_id : std::string());
        if (status == 2) {
          ver.Int(9, created + 3600000);
        } else {
          ver.TextOrNull(9, std::string());
        }
        ver.Int(10, created).Text(11, admin_id);
        ver.Run();
        ++n_versions;
        if (latest) {
          latest_issue = issue;
          latest_expiry = expiry;
        }
      }
      const int64_t created_at = now_ms - versions * 90 * kDayMs - (c % 1000) * 1000;
      const int64_t updated_at = now_ms - 90 * kDayMs - (c % 1000) * 1000;
      cred.Text(1, id)
          .Text(2, org_id)
          .Text(3, user_ids[static_cast<size_t>(u)])
          .Text(4, type_ids[static_cast<size_t>(t)])
          .Int(5, archived ? 1 : 0)
          .Int(6, versions)
          .Text(7, latest_issue)
          .TextOrNull(8, latest_expiry)
          .Text(9, number)
          .Text(10, number_key)
          .Text(11, kApproval[approval])
          .Int(12, versions)
          .Int(13, created_at)
          .Text(14, admin_id)
          .Int(15, updated_at);
      cred.Run();
      if (!archived && expires) renewable << id << "\n";
    }
  }
  Exec(db, "COMMIT");
  std::cout << "credentials: " << n_credentials << " with " << n_versions << " versions in "
            << Seconds(step) << " s\n";
  std::cout << "  expiry (latest version): valid " << by_expiry[0] << ", expiring soon "
            << by_expiry[1] << ", expired " << by_expiry[2] << ", no expiry " << by_expiry[3]
            << "\n";
  std::cout << "  approval: not required " << by_approval[0] << ", pending " << by_approval[1]
            << ", approved " << by_approval[2] << ", rejected " << by_approval[3] << "; archived "
            << archived_count << "\n";

  // 3. Groups, memberships, requirements with their types, exemptions.
  step = Clock::now();
  std::vector<std::string> group_ids;
  std::vector<bool> is_member(static_cast<size_t>(n_users), false);
  int64_t n_memberships = 0, n_recent = 0, n_exemptions = 0, n_requirement_rows = 0;
  Exec(db, "BEGIN");
  {
    Statement group(db,
                    "INSERT INTO user_groups (id, org_id, name, name_key, description, created_at,"
                    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)");
    Statement member(db,
                     "INSERT INTO memberships (group_id, user_id, org_id, since, created_at)"
                     " VALUES (?1, ?2, ?3, ?4, ?5)");
    Statement requirement(
        db,
        "INSERT INTO requirements (id, org_id, group_id, position, min_days_remaining,"
        " grace_days, enforcement, types_revision, created_at, updated_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?8)");
    Statement requirement_type(db,
                               "INSERT INTO requirement_types (requirement_id, position, type_id,"
                               " org_id) VALUES (?1, ?2, ?3, ?4)");
    Statement exemption(db,
                        "INSERT INTO exemptions (id, org_id, requirement_id, user_id, reason,"
                        " expires_on, granted_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                        " ?8)");
    std::vector<int64_t> pool(static_cast<size_t>(n_users));
    std::iota(pool.begin(), pool.end(), int64_t{0});
    std::vector<int> type_pool(kTypes);
    std::iota(type_pool.begin(), type_pool.end(), 0);
    for (int64_t g = 0; g < n_groups; ++g) {
      const std::string group_id = SeededUuid(rng);
      char name[32], name_key[32];
      std::snprintf(name, sizeof name, "Crew %02lld", static_cast<long long>(g + 1));
      std::snprintf(name_key, sizeof name_key, "crew %02lld", static_cast<long long>(g + 1));
      const int64_t group_created = now_ms - 400 * kDayMs + g * 1000;
      group.Text(1, group_id)
          .Text(2, org_id)
          .Text(3, name)
          .Text(4, name_key)
          .Text(5, "Generated for the benchmark.")
          .Int(6, group_created);
      group.Run();
      group_ids.push_back(group_id);

      // The members: the first n_members of a partial Fisher-Yates shuffle of every user.
      std::vector<int64_t> members;
      members.reserve(static_cast<size_t>(n_members));
      for (int64_t i = 0; i < n_members; ++i) {
        const int64_t left = n_users - i;
        const auto j =
            static_cast<size_t>(i + static_cast<int64_t>(rng() % static_cast<uint64_t>(left)));
        std::swap(pool[static_cast<size_t>(i)], pool[j]);
        const int64_t u = pool[static_cast<size_t>(i)];
        members.push_back(u);
        is_member[static_cast<size_t>(u)] = true;
        // 5% joined within the last 30 days (grace counts from here), the rest 1-4 years ago.
        const bool recent = rng() % 100 < 5;
        n_recent += recent;
        const int days_ago =
            recent ? static_cast<int>(rng() % 30) : 365 + static_cast<int>(rng() % 1100);
        member.Text(1, group_id)
            .Text(2, user_ids[static_cast<size_t>(u)])
            .Text(3, org_id)
            .Text(4, IsoDate(today - std::chrono::days(days_ago)))
            .Int(5, now_ms - static_cast<int64_t>(days_ago) * kDayMs);
        member.Run();
        ++n_memberships;
      }

      for (int64_t k = 0; k < n_requirements; ++k) {
        const std::string requirement_id = SeededUuid(rng);
        // min_days_remaining: 40% none, 30% a month, 30% 60-90 days; grace: half none, else
        // two weeks or a month; a quarter warn, the rest block.
        const int p_min = static_cast<int>(rng() % 10);
        const int min_days = p_min < 4 ? 0 : p_min < 7 ? 30 : 60 + static_cast<int>(rng() % 31);
        const int p_grace = static_cast<int>(rng() % 4);
        const int grace = p_grace < 2 ? 0 : p_grace == 2 ? 14 : 30;
        const bool warn = rng() % 4 == 0;
        const int64_t created = group_created + (k + 1) * 60000;
        requirement.Text(1, requirement_id)
            .Text(2, org_id)
            .Text(3, group_id)
            .Int(4, k + 1)
            .Int(5, min_days)
            .Int(6, grace)
            .Text(7, warn ? "warn" : "block")
            .Int(8, created);
        requirement.Run();
        ++n_requirement_rows;
        // 1-3 distinct types, drawn from the 30.
        const int n_alternatives = 1 + static_cast<int>(rng() % 3);
        for (int a = 0; a < n_alternatives; ++a) {
          const auto j = static_cast<size_t>(a + static_cast<int>(rng() % (kTypes - a)));
          std::swap(type_pool[static_cast<size_t>(a)], type_pool[j]);
          requirement_type.Text(1, requirement_id)
              .Int(2, a + 1)
              .Text(3, type_ids[static_cast<size_t>(type_pool[static_cast<size_t>(a)])])
              .Text(4, org_id);
          requirement_type.Run();
        }
        // 0.5% of the members exempted: a quarter open-ended, half running for 1-180 more days,
        // a quarter already over (an exemption is never deleted when it ends).
        for (size_t i = 0; i < members.size(); ++i) {
          if (rng() % 200 != 0) continue;
          const int kind = static_cast<int>(rng() % 4);
          std::string expires_on;
          if (kind == 1 || kind == 2) {
            expires_on = IsoDate(today + std::chrono::days(1 + static_cast<int>(rng() % 180)));
          } else if (kind == 3) {
            expires_on = IsoDate(today - std::chrono::days(1 + static_cast<int>(rng() % 180)));
          }
          exemption.Text(1, SeededUuid(rng))
              .Text(2, org_id)
              .Text(3, requirement_id)
              .Text(4, user_ids[static_cast<size_t>(members[i])])
              .Text(5, "Generated for the benchmark: covered by the site induction.")
              .TextOrNull(6, expires_on)
              .Text(7, admin_id)
              .Int(8, created + 3600000);
          exemption.Run();
          ++n_exemptions;
        }
      }
    }
  }
  Exec(db, "COMMIT");
  {
    std::ofstream groups(path + ".groups");
    for (const std::string& id : group_ids) groups << id << "\n";
    std::ofstream members(path + ".members");
    int64_t distinct = 0;
    for (size_t u = 0; u < user_ids.size(); ++u) {
      if (!is_member[u]) continue;
      members << user_ids[u] << "\n";
      ++distinct;
    }
    std::cout << "groups: " << n_groups << " with " << n_memberships << " memberships (" << distinct
              << " distinct users, " << n_recent << " joined in the last 30 days), "
              << n_requirement_rows << " requirements, " << n_exemptions << " exemptions in "
              << Seconds(step) << " s\n";
  }

  step = Clock::now();
  // No ANALYZE: the server never runs it, and statistics would change the plans measured.
  Exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close(db);
  {
    std::ofstream users(path + ".users");
    for (const std::string& id : user_ids) users << id << "\n";
  }
  std::cout << "checkpoint: " << Seconds(step) << " s\n";
  std::cout << "total: " << Seconds(total_start) << " s ("
            << std::filesystem::file_size(path) / (1024 * 1024) << " MiB)\n";
  return 0;
}
