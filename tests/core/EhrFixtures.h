#pragma once
// JSON written into TestEhrReaders' inputs. Raw string literals live here because moc (Qt 6.4)
// stops finding the test class in a file that holds some of them.

namespace attn::test {
inline constexpr const char* kPartialDatesBundle = R"({"resourceType":"Bundle","type":"collection","entry":[
            {"fullUrl":"urn:uuid:p1","resource":{"resourceType":"Patient","id":"p1","birthDate":"1961"}},
            {"resource":{"resourceType":"Condition","subject":{"reference":"urn:uuid:p1"},"onsetDateTime":"2019-03",
                         "code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"I48.91"}]}}},
            {"resource":{"resourceType":"Observation","subject":{"reference":"urn:uuid:p1"},"effectivePeriod":{"start":"2019-03-02","end":"2019-03-04"},
                         "code":{"coding":[{"system":"http://loinc.org","code":"6301-6"}]},"valueQuantity":{"value":3.4,"unit":"{INR}"}}},
            {"resource":{"resourceType":"Condition","subject":{"reference":"urn:uuid:p1"},"recordedDate":"2019-03-05T10:00:00",
                         "code":{"coding":[{"system":"http://snomed.info/sct","code":"49436004"}]}}}]})";
inline constexpr const char* kBulkObservation = R"({"resourceType":"Observation","id":"o1","subject":{"reference":"Patient/42"},"effectiveDateTime":"2020-01-02T03:04:05Z","code":{"coding":[{"system":"http://loinc.org","code":"6301-6"}]},"valueQuantity":{"value":2.5}})" "\n\n";
inline constexpr const char* kBulkWarfarinRequest = R"({"resourceType":"MedicationRequest","id":"m1","subject":{"reference":"Patient/42"},"authoredOn":"2019-12-01","medicationReference":{"reference":"Medication/w"}})" "\n";
inline constexpr const char* kBulkPatient42 = R"({"resourceType":"Patient","id":"42","gender":"female","birthDate":"1950-05-05"})" "\n";
inline constexpr const char* kBulkPatient43 = R"({"resourceType":"Patient","id":"43","gender":"male"})" "\n";
inline constexpr const char* kBulkWarfarin = R"({"resourceType":"Medication","id":"w","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"855332","display":"Warfarin Sodium 5 MG Oral Tablet"}]}})" "\n";
inline constexpr const char* kOmopMappingStart = R"({"subject_id":"person_id","time":["measurement_datetime","measurement_date"],)";
inline constexpr const char* kOmopMappingEnd = R"("code":"measurement_concept_id","numeric_value":"value_as_number","code_prefix":"OMOP"})";
inline constexpr const char* kInvalidBirthDate = R"({"resourceType":"Patient","id":"p","birthDate":"1961-02-30"})";
inline constexpr const char* kInvalidObservationTime = R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Observation","subject":{"reference":"Patient/p"},"effectiveDateTime":"2019-03-01T25:00:00Z","code":{"coding":[{"code":"x"}]}}}]})";
} // namespace attn::test
