#include "app/demo.h"

#include <vector>

#include "core/dates.h"
#include "media/vips_media.h"
#include "service/credential_type_service.h"

namespace bf {

namespace {

Actor ActorOf(const User& u) { return Actor{u.org_id, u.id, u.name, u.permissions}; }

// A generated file uploaded by `actor`, as the API would store it; its id.
Result<std::string> UploadDemoFile(Services& services, const Actor& actor,
                                   const std::string& filename, const std::string& bytes) {
  BF_ASSIGN_OR_RETURN(auto upload, services.media.BeginUpload(actor, filename));
  BF_RETURN_IF_ERROR(upload->Write(bytes));
  BF_ASSIGN_OR_RETURN(MediaFile file, upload->Finish());
  return file.id;
}

// Photos of cards (drawn with libvips) and a scanned certificate (a small PDF), by the manager.
struct DemoMedia {
  std::vector<std::string> sams_licence, lees_ticket, priyas_first_aid;
};

Result<DemoMedia> AddDemoMedia(Services& services, const Actor& manager) {
  auto card = [&](const std::string& filename, media::Card c,
                  MediaFormat format) -> Result<std::string> {
    BF_ASSIGN_OR_RETURN(std::string bytes, media::RenderCard(c, format));
    return UploadDemoFile(services, manager, filename, bytes);
  };
  DemoMedia out;
  BF_ASSIGN_OR_RETURN(std::string front, card("licence-front.jpg",
                                              {"NSW Driver Licence",
                                               "Sam Worker · Class C · NSW-1048-22", 30, 110, 70},
                                              MediaFormat::kJpeg));
  BF_ASSIGN_OR_RETURN(std::string back, card("licence-back.jpg",
                                             {"Conditions", "None. Organ donor: yes.", 60, 70, 90},
                                             MediaFormat::kJpeg));
  out.sams_licence = {front, back};
  BF_ASSIGN_OR_RETURN(std::string ticket, card("high-risk-licence.png",
                                               {"High Risk Work Licence",
                                                "Lee Forklift · LF · LF-220931", 200, 120, 20},
                                               MediaFormat::kPng));
  out.lees_ticket = {ticket};
  BF_ASSIGN_OR_RETURN(
      std::string certificate,
      UploadDemoFile(services, manager, "first-aid-certificate.pdf",
                     media::MinimalPdf({"Statement of Attainment", "HLTAID011 Provide First Aid",
                                        "Priya Electrician", "Certificate HLTAID011-7781"})));
  out.priyas_first_aid = {certificate};
  return out;
}

// Credentials in every state: valid, expiring soon, expired, no expiry, renewed, archived, and
// (with approvals switched on) pending and rejected. Dates are relative to today, so the demo
// always shows each state.
Status AddDemoCredentials(Services& services, const User& admin, const std::vector<User>& users,
                          const std::vector<std::string>& types) {
  const Actor admin_actor = ActorOf(admin);
  const Actor manager = ActorOf(users[0]);
  const User& sam = users[1];
  const User& priya = users[2];
  const User& lee = users[3];
  BF_ASSIGN_OR_RETURN(Organization org, services.orgs.Get(admin_actor));
  Date today = LocalDate(services.ctx.clock.Now(), org.timezone);
  auto day = [&](int offset) { return FormatIsoDate(today + date::days(offset)); };
  auto input = [&](const User& holder, const std::string& type, int issued,
                   std::optional<int> expires, std::string number) {
    CredentialInput in;
    in.user_id = holder.id;
    in.type_id = type;
    in.issue_date = day(issued);
    in.expiry_date = expires ? std::optional<std::string>(day(*expires)) : std::nullopt;
    in.credential_number = std::optional<std::string>(std::move(number));
    return in;
  };
  const std::string& licence = types[0];
  const std::string& first_aid = types[1];
  const std::string& high_risk = types[2];
  const std::string& children = types[3];
  const std::string& induction = types[4];
  BF_ASSIGN_OR_RETURN(DemoMedia files, AddDemoMedia(services, manager));
  auto with = [](CredentialInput in, const std::vector<std::string>& media_ids) {
    in.media_ids = media_ids;
    return in;
  };

  // Sam's licence, renewed once: version 1 lapsed, version 2 valid for years.
  BF_ASSIGN_OR_RETURN(auto sams, services.credentials.Create(
                                     manager, input(sam, licence, -1500, -40, "NSW-1048-22")));
  BF_RETURN_IF_ERROR(services.credentials.AddVersion(
      manager, sams.credential.id,
      with(input(sam, licence, -45, 1780, "NSW-1048-22"), files.sams_licence), {}));
  BF_RETURN_IF_ERROR(
      services.credentials.Create(manager, input(sam, induction, -200, std::nullopt, "IND-0031")));
  BF_RETURN_IF_ERROR(services.credentials.Create(
      manager, with(input(priya, first_aid, -1080, 12, "HLTAID011-7781"), files.priyas_first_aid)));
  BF_RETURN_IF_ERROR(services.credentials.Create(
      manager, with(input(lee, high_risk, -1830, -6, "LF-220931"), files.lees_ticket)));
  BF_ASSIGN_OR_RETURN(auto old, services.credentials.Create(
                                    manager, input(lee, licence, -3000, -1200, "VIC-77-1203")));
  BF_RETURN_IF_ERROR(services.credentials.Archive(manager, old.credential.id, {}));

  SettingsPatch approvals;
  approvals.approvals_required = true;
  BF_RETURN_IF_ERROR(services.orgs.UpdateSettings(admin_actor, approvals));
  BF_RETURN_IF_ERROR(
      services.credentials.Create(manager, input(priya, children, -20, 1800, "WWC-0551234E")));
  BF_ASSIGN_OR_RETURN(auto lees, services.credentials.Create(
                                     manager, input(lee, first_aid, -30, 1065, "HLTAID011-9120")));
  BF_RETURN_IF_ERROR(services.credentials.Reject(
      admin_actor, lees.credential.id, "The certificate number does not match the photo", {}));
  BF_ASSIGN_OR_RETURN(
      auto priyas,
      services.credentials.Create(admin_actor, input(priya, licence, -100, 1725, "NSW-5521-90")));
  BF_RETURN_IF_ERROR(services.credentials.Approve(manager, priyas.credential.id, {}));
  return Ok();
}

}  // namespace

Result<std::string> CreateDemoIfEmpty(Services& services) {
  {
    BF_ASSIGN_OR_RETURN(auto uow, services.ctx.store.Begin(false));
    BF_ASSIGN_OR_RETURN(int64_t orgs, uow->CountOrganizations());
    if (orgs > 0) return std::string();
  }
  NewOrganization input;
  input.name = "Demo Constructions";
  input.timezone = "Australia/Sydney";
  input.admin = NewUser{"admin@demo.example", "Ada Administrator", "", kDemoPassword};
  BF_ASSIGN_OR_RETURN(CreatedOrganization created, services.orgs.Create(input));
  const std::string& org_id = created.org.id;

  BF_ASSIGN_OR_RETURN(auto uow, services.ctx.store.Begin(true));
  BF_ASSIGN_OR_RETURN(auto manager_set, uow->FindPermissionSetByName(org_id, "manager"));
  BF_ASSIGN_OR_RETURN(auto standard_set, uow->FindPermissionSetByName(org_id, "standard"));
  if (!manager_set || !standard_set) return Internal("demo: built-in permission sets missing");
  struct Person {
    const char* email;
    const char* name;
    const std::string& set_id;
  };
  const std::vector<Person> people = {
      {"manager@demo.example", "Morgan Manager", manager_set->id},
      {"sam@demo.example", "Sam Worker", standard_set->id},
      {"priya@demo.example", "Priya Electrician", standard_set->id},
      {"lee@demo.example", "Lee Forklift", standard_set->id},
  };
  std::vector<User> users;
  for (const Person& p : people) {
    BF_ASSIGN_OR_RETURN(
        User u, UserService::CreateAsSystem(*uow, services.ctx, org_id,
                                            NewUser{p.email, p.name, p.set_id, kDemoPassword}));
    users.push_back(std::move(u));
  }
  const std::vector<CredentialTypeInput> types = {
      {"Driver's licence", "A state driver's licence, class C or above.", true, std::nullopt},
      {"First aid certificate", "HLTAID011 Provide First Aid.", true,
       std::optional<std::vector<int>>(std::vector<int>{60, 30, 7})},
      {"High-risk work licence", "Forklift, crane, scaffolding and other high-risk work.", true,
       std::nullopt},
      {"Working with children check", "", true, std::nullopt},
      {"Site induction", "Completed once; does not expire.", false, std::nullopt},
  };
  std::vector<std::string> type_ids;
  for (const CredentialTypeInput& t : types) {
    BF_ASSIGN_OR_RETURN(CredentialType type,
                        CredentialTypeService::CreateAsSystem(*uow, services.ctx, org_id, t));
    type_ids.push_back(type.id);
  }
  BF_RETURN_IF_ERROR(uow->Commit());
  uow.reset();
  BF_RETURN_IF_ERROR(AddDemoCredentials(services, created.admin, users, type_ids));
  return "Demo organisation \"" + created.org.name + "\" (" + org_id +
         ") created. Sign in with any of these, password \"" + kDemoPassword +
         "\":\n"
         "  admin@demo.example    administrator\n"
         "  manager@demo.example  manager\n"
         "  sam@demo.example      standard user (also priya@, lee@)\n";
}

}  // namespace bf
