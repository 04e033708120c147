"""The VET curriculum: courses, modules, learning outcomes mapped to framework elements, materials, cohorts."""
