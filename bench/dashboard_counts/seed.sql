INSERT INTO opd (id, code, name, kind) VALUES (1, 'BIG', 'OPD besar', 'dinas'), (2, 'SMALL', 'OPD kecil', 'dinas');
INSERT INTO period (id, name, year, kind, start_date, end_date, plan_deadline, assessment_deadline, status, workflow)
VALUES (1, 'SKP Tahunan 2026', 2026, 'annual', '2026-01-01', '2026-12-31', '2026-01-31', '2027-01-31', 'open', 'skp_annual');
INSERT INTO employee (id, nip, name, status, active)
SELECT g, lpad(g::text, 18, '0'), 'Pegawai ' || g, 'PNS', true FROM generate_series(1, 250000) g;
-- 200,000 appraisals in the big OPD, 50,000 in the other; 2 % with a second segment
-- (the first cut short in June), states and predikat spread like a year's end.
INSERT INTO appraisal (employee_id, period_id, segment, start_date, end_date, opd_id, workflow, state, version, approach, predikat, created_at, updated_at)
SELECT g, 1, 1, '2026-01-01', CASE WHEN g % 50 = 0 THEN date '2026-06-30' ELSE date '2026-12-31' END,
       CASE WHEN g <= 200000 THEN 1 ELSE 2 END, 'skp_annual',
       (ARRAY['draft','plan_review','self_assessment','supervisor_review','verification','final','objection'])[1 + g % 7],
       1, 'kuantitatif',
       CASE WHEN g % 7 = 5 THEN (ARRAY['sangat_baik','baik','butuh_perbaikan','kurang','sangat_kurang'])[1 + g % 5] END,
       now(), now()
FROM generate_series(1, 250000) g;
INSERT INTO appraisal (employee_id, period_id, segment, start_date, end_date, opd_id, workflow, state, version, approach, created_at, updated_at)
SELECT g, 1, 2, '2026-07-01', '2026-12-31', 1, 'skp_annual', 'draft', 1, 'kuantitatif', now(), now()
FROM generate_series(50, 200000, 50) g;
-- One open task per latest segment, a tenth of them past due.
INSERT INTO task (appraisal_id, state, role, due_date, opened_at)
SELECT id, state, 'appraisee', CASE WHEN id % 10 = 0 THEN date '2026-01-15' ELSE date '2027-01-31' END, now()
FROM appraisal WHERE end_date = '2026-12-31';
ANALYZE;
