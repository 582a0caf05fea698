#include "app/demo.h"

#include <vector>

#include "service/credential_type_service.h"

namespace bf {

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
  for (const Person& p : people) {
    BF_RETURN_IF_ERROR(UserService::CreateAsSystem(*uow, services.ctx, org_id,
                                                   NewUser{p.email, p.name, p.set_id, kDemoPassword}));
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
  for (const CredentialTypeInput& t : types) {
    BF_RETURN_IF_ERROR(CredentialTypeService::CreateAsSystem(*uow, services.ctx, org_id, t));
  }
  BF_RETURN_IF_ERROR(uow->Commit());
  return "Demo organisation \"" + created.org.name + "\" (" + org_id +
         ") created. Sign in with any of these, password \"" + kDemoPassword +
         "\":\n"
         "  admin@demo.example    administrator\n"
         "  manager@demo.example  manager\n"
         "  sam@demo.example      standard user (also priya@, lee@)\n";
}

}  // namespace bf
