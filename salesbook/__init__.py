"""salesbook: the sales-department operating system inside an Excel workbook."""

__version__ = "0.1.0"
