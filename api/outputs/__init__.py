"""What people take away: iCal, frab, CSV/XLSX, printable pages, statistics and charts."""
