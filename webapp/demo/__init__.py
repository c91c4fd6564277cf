"""Demo data: Region Nordjylland and its Rammeaftale 2018, written from the domain facts."""
